#pragma once
// Pieces of DDL that the schema compiler and SQLite's table rebuild both write.
#include <lucid/table_builder.hpp>

#include <string>
#include <vector>

namespace lucid::detail {

class Dialect;

// knex's names: <table>_<columns joined by _>_<suffix> (unique, index, foreign).
std::string indexName(const std::string& table, const std::vector<std::string>& columns, const char* suffix);
std::string columnList(const std::vector<std::string>& columns, const Dialect& d);
// `constraint "<table>_<cols>_foreign" foreign key (...) references "t" (...) on delete ...`, a table constraint.
std::string foreignKeySQL(const Dialect& d, const std::string& table, const ForeignSpec& fk);
// `"name" type [not null] [default ...] [primary key] [constraint ... references ...]`
std::string columnDefinition(const ColumnSpec& c, const Dialect& d, const std::string& table);

}  // namespace lucid::detail
