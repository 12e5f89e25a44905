#pragma once
// QueryScope: what a query carries beyond its clauses, supplied whole by a relation (relations/<kind>/).
// ModelQueryCore asks it, never a kind; a new kind of scoped query (polymorphic, soft deletes) is a new subclass,
// and scopes that must meet on one query (soft deletes under a relation) compose by one wrapping the other.
#include <lucid/model_query.hpp>

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
};

}  // namespace lucid::detail
