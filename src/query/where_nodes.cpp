// Building the clause tree's where nodes: what the typed builders' where() calls, and the scope that
// relations seal their conditions into.
#include "query/where_nodes.hpp"

#include <lucid/errors.hpp>

#include "sql/compiler.hpp"

namespace lucid::detail {

void checkOperator(std::string_view op) {
    if (op == "=") return;  // by far the most common
    static const char* allowed[] = {"=", "!=", "<>", "<", "<=", ">", ">=", "like", "not like", "ilike", "not ilike",
                                    "is", "is not", "&&", "@>", "<@", "?", "?|", "?&", "||", "~", "~*", "!~", "!~*"};
    for (const char* a : allowed)
        if (iequals(op, a)) return;
    throw Error("E_INVALID_OPERATOR", "\"" + std::string(op) + "\" is not a supported comparison operator");
}

int64_t pageOffset(int64_t page, int64_t perPage) {
    if (page < 1) throw Error("E_INVALID_PAGE", "page must be 1 or more, got " + std::to_string(page));
    if (perPage < 1) throw Error("E_INVALID_PAGE", "perPage must be 1 or more, got " + std::to_string(perPage));
    int64_t offset = 0;
    if (__builtin_mul_overflow(page - 1, perPage, &offset))
        throw Error("E_INVALID_PAGE", "page " + std::to_string(page) + " of " + std::to_string(perPage) +
                                          " rows starts past the largest row offset (2^63 - 1)");
    return offset;
}

WhereNode basicWhere(std::string column, std::string_view op, Value value, bool orJoin, bool negate) {
    checkOperator(op);
    WhereNode n{.kind = WhereKind::Basic, .orJoin = orJoin, .negate = negate, .column = std::move(column), .op = std::string(op)};
    n.value = std::move(value);
    return n;
}

void constrain(QueryState& q, WhereNode n) {
    n.orJoin = false;
    q.scope.push_back(std::move(n));
}

void sealWheres(QueryState& q) {
    if (q.wheres.empty()) return;
    WhereNode g{.kind = WhereKind::Group};
    g.group = std::move(q.wheres);
    q.wheres.clear();
    constrain(q, std::move(g));
}

void addBasic(QueryState& q, std::string column, std::string_view op, Value value, bool orJoin, bool negate) {
    q.wheres.push_back(basicWhere(std::move(column), op, std::move(value), orJoin, negate));
}
void addIn(QueryState& q, std::string column, Bindings values, bool orJoin, bool negate) {
    WhereNode& n = q.wheres.emplace_back();
    n.kind = WhereKind::In;
    n.orJoin = orJoin;
    n.negate = negate;
    n.column = std::move(column);
    n.values = std::move(values);
}
void addNull(QueryState& q, std::string column, bool orJoin, bool negate) {
    WhereNode& n = q.wheres.emplace_back();
    n.kind = WhereKind::Null;
    n.orJoin = orJoin;
    n.negate = negate;
    n.column = std::move(column);
}

}  // namespace lucid::detail
