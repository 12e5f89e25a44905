#pragma once
// Turns the clause tree into SQL text and bindings for one dialect.
#include <lucid/detail/query_state.hpp>

#include "database/statement.hpp"
#include "sql/dialect.hpp"

namespace lucid::detail {

// Writes a statement and marks how a driver may run it (Statement's flags) as it goes.
class SqlWriter {
public:
    explicit SqlWriter(const Dialect& d) : d_(d) { st_.columns = Statement::Columns::Fixed; }
    void bind(Value v);
    void column(std::string_view reference);  // "t.c" -> "t"."c", "c as a" -> "c" as "a", "*" stays
    void raw(std::string_view sql, const Bindings& bindings);  // rewrites '?' into placeholders
    void select(const QueryState& q);
    void wheres(const std::vector<WhereNode>& nodes);
    void whereClause(const QueryState& q);  // " where " + scope + the user's wheres, when there are any
    std::string& sql() { return st_.sql; }
    Statement take() { return std::move(st_); }
    const Dialect& dialect() const { return d_; }

private:
    void where(const WhereNode& n);
    void selectCore(const QueryState& q);
    const Dialect& d_;
    Statement st_;
};

Statement compileSelect(const QueryState& q, const Dialect& d);
Statement compileInsert(std::string_view table, const std::vector<std::string>& columns,
                        const std::vector<Bindings>& rows, std::string_view returning, const Dialect& d,
                        const Conflict* conflict = nullptr);
Statement compileUpdate(const QueryState& q, const Attributes& values, const Dialect& d);
// One UPDATE for many rows, each with its own values, in the dialect's form (Dialect::updatesFromValues):
// set c = case when <row's key> then ? ... else c end where <the rows' keys>, or a join with a VALUES list.
struct KeyedRowUpdate {
    Bindings key;               // one value per key column, as the row was read
    Bindings values;            // one per column of the statement: the new value, or the row's own where unchanged
    std::vector<bool> changed;  // which of `values` the row changes
};
Statement compileKeyedUpdate(std::string_view table, const std::vector<std::string>& keys, const std::vector<std::string>& columns,
                             const std::vector<KeyedRowUpdate>& rows, const Dialect& d);
Statement compileIncrement(const QueryState& q, std::string_view column, int64_t by, const Dialect& d);
Statement compileDelete(const QueryState& q, const Dialect& d);
Statement compileRaw(std::string_view sql, const Bindings& bindings, const Dialect& d);
bool iequals(std::string_view a, std::string_view b);  // ASCII letters in either case
// Marks what only the text tells of SQL that a user wrote (a raw fragment, or `whole`: a raw statement).
void markUserSql(Statement& st, std::string_view sql, bool whole);

}  // namespace lucid::detail
