#pragma once
// Clauses that every relation kind builds its queries from: constraints, key lists, correlations.
#include <lucid/detail/relation.hpp>

#include <string>

namespace lucid::detail {

// The relation's onQuery, then the caller's callback, each sealed into the query's scope: the relation's
// own keys are added to the scope after them, and what the user adds later is bracketed (Lucid's wrapExisting).
void applyConstraints(const Relation& r, ModelQueryCore& q, const QueryCallback& callback);
WhereNode inKeys(std::string column, Bindings keys);
WhereNode columnsEqual(std::string column, std::string other);
// "column in (select <selected> from <q's rows>)": how update()/del() reach the rows of a query that joins.
WhereNode inSelected(const ModelQueryCore& q, std::string column, std::string selected);

// The query's rows as shared instances, their own preloads (nested in the caller's callback) run.
std::vector<std::shared_ptr<void>> fetchWithPreloads(ModelQueryCore& q);
// What all() does for a typed query: beforeFetch hooks, the rows, their preloads.
std::vector<std::shared_ptr<void>> allRows(ModelQueryCore& q);

// The value of a column that a joined query put in extras() (pivot_user_id, through_country_id).
const Value* extraValue(const ModelMeta& meta, const void* model, const std::string& name);

}  // namespace lucid::detail
