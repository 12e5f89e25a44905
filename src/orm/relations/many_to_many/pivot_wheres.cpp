// wherePivot and its kin: conditions on the pivot table of a manyToMany query (its scope names the table).
#include <lucid/model_query.hpp>

#include "orm/query_scope.hpp"

namespace lucid::detail {
namespace {

std::string pivotColumn(const ModelQueryCore& q, std::string_view column) {
    const std::string* table = q.scope() ? q.scope()->pivotTable() : nullptr;
    if (!table)
        throw Error("E_NOT_A_PIVOT_QUERY", "wherePivot and its kin work only on the query of a manyToMany relationship (the \"" +
                                               q.meta().name + "\" query has no pivot table)");
    return *table + "." + std::string(column);
}

}  // namespace

void ModelQueryCore::wherePivot(std::string_view column, std::string_view op, Value value, bool orJoin, bool negate) {
    builder_.state().wheres.push_back(basicWhere(pivotColumn(*this, column), op, std::move(value), orJoin, negate));
}
void ModelQueryCore::whereInPivot(std::string_view column, Bindings values, bool orJoin, bool negate) {
    WhereNode n{.kind = WhereKind::In, .orJoin = orJoin, .negate = negate, .column = pivotColumn(*this, column)};
    n.values = std::move(values);
    builder_.state().wheres.push_back(std::move(n));
}
void ModelQueryCore::whereNullPivot(std::string_view column, bool orJoin, bool negate) {
    builder_.state().wheres.push_back(WhereNode{.kind = WhereKind::Null, .orJoin = orJoin, .negate = negate, .column = pivotColumn(*this, column)});
}

}  // namespace lucid::detail
