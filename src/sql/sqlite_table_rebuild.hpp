#pragma once
// SQLite's ALTER TABLE cannot change a column, a key or a foreign key: the table is rebuilt instead.
#include <lucid/query_client.hpp>
#include <lucid/table_builder.hpp>

#include <string>
#include <vector>

namespace lucid::detail {

class Dialect;

// The statements that rebuild `changes.tableName()` with the changes applied, read from the live table:
// its columns, primary key, foreign keys, unique constraints and indexes are kept unless changed.
std::vector<std::string> sqliteRebuildTableSQL(const Dialect& d, QueryClient& client, const TableBuilder& changes);

}  // namespace lucid::detail
