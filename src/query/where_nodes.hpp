#pragma once
// The scope of a query: conditions every row must meet, which the user's later wheres cannot escape.
#include <lucid/detail/query_nodes.hpp>

namespace lucid::detail {

// Adds a condition to the query's scope: it holds whatever wheres the user adds afterwards.
void constrain(QueryState& q, WhereNode n);
// Moves the wheres added so far (an onQuery's, a callback's) into the scope, as one bracketed group.
void sealWheres(QueryState& q);

}  // namespace lucid::detail
