#pragma once
// QueryScope: what a query carries beyond its clauses, supplied whole by a relation (relations/<kind>/).
// ModelQueryCore asks it, never a kind; a new kind of scoped query (polymorphic, soft deletes) is a new subclass,
// and scopes that must meet on one query (soft deletes under a relation) compose by one wrapping the other.
#include <lucid/model_query.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucid::detail {

class QueryScope {
public:
    virtual ~QueryScope() = default;
    // The table that property names resolve into ("col" -> "table.col"), when the query joins another.
    virtual const std::string* qualifier() const { return nullptr; }
    // Columns selected beside the user's (pivot_ / through_ keys); with no user select, the related
    // table's columns come first.
    virtual const std::vector<SelectItem>* columns() const { return nullptr; }
    // update()/del() (values == nullptr) of the query's rows, when a plain UPDATE/DELETE cannot reach them.
    virtual std::optional<int64_t> write(ModelQueryCore&, const Attributes*) const { return std::nullopt; }
    // Throws when the query may not paginate.
    virtual void checkPaginate() const {}
    // The pivot table that wherePivot and its kin name.
    virtual const std::string* pivotTable() const { return nullptr; }
    // Conditions every row of the query meets whatever the user adds, on `table` (the query's table or alias);
    // ModelQueryCore::seal() asks for them just before the query is compiled.
    virtual void constrain(QueryState&, const std::string& /*table*/) const {}
    // The scope of the query once a relation gives it `relation`: the relation's, unless this scope
    // belongs to the model itself (soft deletes), which then wraps it.
    virtual std::shared_ptr<const QueryScope> under(std::shared_ptr<const QueryScope> relation) const { return relation; }
};

}  // namespace lucid::detail
