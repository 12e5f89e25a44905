// Subqueries beside the wheres, as the typed builders (QueryBuilder, ModelQuery<T>) add them.
#include <lucid/detail/query_nodes.hpp>

namespace lucid::detail {

void setFromSub(QueryState& q, std::shared_ptr<const QueryState> sub, std::string_view alias) {
    q.table.clear();
    q.fromSub = std::move(sub);
    q.alias = std::string(alias);
}

void addSelectSub(QueryState& q, std::shared_ptr<const QueryState> sub, std::string_view alias) {
    q.select.push_back(SelectItem{.sub = std::move(sub), .alias = std::string(alias)});
}

void addUnion(QueryState& q, std::shared_ptr<const QueryState> member, bool all) {
    q.unions.push_back(SetMember{.all = all, .query = std::move(member)});
}

void addCte(QueryState& q, std::string_view name, std::shared_ptr<const QueryState> query, bool recursive) {
    q.ctes.push_back(CommonTable{.name = std::string(name), .query = std::move(query)});
    q.recursive = q.recursive || recursive;
}

}  // namespace lucid::detail
