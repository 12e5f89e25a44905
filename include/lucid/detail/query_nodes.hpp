#pragma once
// What the query builders' templates call to add clauses: each typed where() is a name lookup and one of
// these calls (src/query/where_nodes.cpp).
#include <lucid/detail/query_state.hpp>

#include <nlohmann/json_fwd.hpp>

#include <concepts>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace lucid {
class Row;
}

namespace lucid::detail {
// A query that can stand inside another (a QueryBuilder, a ModelQuery): its clause tree, copied.
template <class Q>
concept Subquery = requires(const Q& q) {
    { q.state() } -> std::convertible_to<const QueryState&>;
};
// A model query gives its tree with its scope sealed in (soft deletes, a relation's constraint).
template <Subquery Q> std::shared_ptr<const QueryState> subqueryOf(const Q& q) {
    if constexpr (requires { q.subqueryState(); }) return std::make_shared<const QueryState>(q.subqueryState());
    else return std::make_shared<const QueryState>(q.state());
}
// Builds nodes; the typed builders only decide what a column name resolves to.
WhereNode basicWhere(std::string column, std::string_view op, Value value, bool orJoin, bool negate);
// Out of line, so that each typed where() compiles to a name lookup and one call.
void addBasic(QueryState& q, std::string column, std::string_view op, Value value, bool orJoin, bool negate);
void addIn(QueryState& q, std::string column, Bindings values, bool orJoin, bool negate);
void addNull(QueryState& q, std::string column, bool orJoin, bool negate);
// Subqueries beside the wheres: FROM (sub) AS alias, (sub) AS alias selected, UNION [ALL], WITH [RECURSIVE].
void setFromSub(QueryState& q, std::shared_ptr<const QueryState> sub, std::string_view alias);
void addSelectSub(QueryState& q, std::shared_ptr<const QueryState> sub, std::string_view alias);
void addUnion(QueryState& q, std::shared_ptr<const QueryState> member, bool all);
void addCte(QueryState& q, std::string_view name, std::shared_ptr<const QueryState> query, bool recursive);
void checkOperator(std::string_view op);
// The first row of a page; throws for a page or size below 1 and for an offset past int64_t.
int64_t pageOffset(int64_t page, int64_t perPage);
// Page::toJSON(): Lucid's SimplePaginator meta (src/query/page_json.cpp), and a Page<Row>'s row as an object.
void pageMeta(nlohmann::json& out, int64_t total, int64_t perPage, int64_t currentPage, int64_t lastPage, const std::string& baseUrl);
void rowJson(nlohmann::json& out, const Row& row);

}  // namespace lucid::detail
