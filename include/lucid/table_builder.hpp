#pragma once
// A table as a migration describes it (TableBuilder, its columns and keys): plain data, which the
// schema builder runs and each dialect writes as DDL.
#include <lucid/value.hpp>

#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lucid {

enum class ColumnKind {
    Increments, BigIncrements, Integer, BigInteger, String, Text, Boolean, Float, Double, Decimal,
    Date, DateTime, Timestamp, Json, Binary, Uuid
};

struct ColumnSpec {
    std::string name;
    ColumnKind kind = ColumnKind::Integer;
    int length = 255;
    int precision = 8, scale = 2;
    std::optional<bool> nullable;  // unset: nullable, as in SQL
    bool unique = false, index = false, primary = false, isUnsigned = false;
    std::optional<Value> defaultValue;
    std::string defaultRaw;  // e.g. CURRENT_TIMESTAMP
    std::string referencesColumn, referencesTable, onDelete, onUpdate;
    bool alter = false;  // redefine an existing column (alterTable) instead of adding it
};

// A table-level foreign key: foreign("user_id").references("id").inTable("users").
struct ForeignSpec {
    std::vector<std::string> columns;
    std::string referencesTable;
    std::vector<std::string> referencesColumns;
    std::string onDelete, onUpdate;
};

class ColumnBuilder {
public:
    explicit ColumnBuilder(ColumnSpec& spec) : s_(&spec) {}
    ColumnBuilder& notNullable() { s_->nullable = false; return *this; }
    ColumnBuilder& nullable() { s_->nullable = true; return *this; }
    ColumnBuilder& unique() { s_->unique = true; return *this; }
    ColumnBuilder& index() { s_->index = true; return *this; }
    ColumnBuilder& primary() { s_->primary = true; return *this; }
    ColumnBuilder& unsigned_() { s_->isUnsigned = true; return *this; }
    ColumnBuilder& defaultTo(Value v) { s_->defaultValue = std::move(v); return *this; }
    ColumnBuilder& defaultToRaw(std::string sql) { s_->defaultRaw = std::move(sql); return *this; }
    ColumnBuilder& references(std::string column);  // "id" or "users.id"
    ColumnBuilder& inTable(std::string table) { s_->referencesTable = std::move(table); return *this; }
    ColumnBuilder& onDelete(std::string action) { s_->onDelete = std::move(action); return *this; }
    ColumnBuilder& onUpdate(std::string action) { s_->onUpdate = std::move(action); return *this; }
    // In alterTable: change this existing column's type, nullability and default to the ones declared
    // here (as knex does, what is not declared goes: no default, nullable).
    ColumnBuilder& alter() { s_->alter = true; return *this; }

private:
    ColumnSpec* s_;
};

class ForeignBuilder {
public:
    explicit ForeignBuilder(ForeignSpec& spec) : s_(&spec) {}
    ForeignBuilder& references(std::string column);  // "id" or "users.id"
    ForeignBuilder& inTable(std::string table) { s_->referencesTable = std::move(table); return *this; }
    ForeignBuilder& onDelete(std::string action) { s_->onDelete = std::move(action); return *this; }
    ForeignBuilder& onUpdate(std::string action) { s_->onUpdate = std::move(action); return *this; }

private:
    ForeignSpec* s_;
};

class TableBuilder {
public:
    explicit TableBuilder(std::string table) : table_(std::move(table)) {}

    ColumnBuilder increments(std::string name = "id") { return add(std::move(name), ColumnKind::Increments); }
    ColumnBuilder bigIncrements(std::string name = "id") { return add(std::move(name), ColumnKind::BigIncrements); }
    ColumnBuilder integer(std::string name) { return add(std::move(name), ColumnKind::Integer); }
    ColumnBuilder bigInteger(std::string name) { return add(std::move(name), ColumnKind::BigInteger); }
    ColumnBuilder string(std::string name, int length = 255);
    ColumnBuilder text(std::string name) { return add(std::move(name), ColumnKind::Text); }
    ColumnBuilder boolean(std::string name) { return add(std::move(name), ColumnKind::Boolean); }
    ColumnBuilder float_(std::string name) { return add(std::move(name), ColumnKind::Float); }
    ColumnBuilder double_(std::string name) { return add(std::move(name), ColumnKind::Double); }
    ColumnBuilder decimal(std::string name, int precision = 8, int scale = 2);
    ColumnBuilder date(std::string name) { return add(std::move(name), ColumnKind::Date); }
    ColumnBuilder dateTime(std::string name) { return add(std::move(name), ColumnKind::DateTime); }
    ColumnBuilder timestamp(std::string name) { return add(std::move(name), ColumnKind::Timestamp); }
    ColumnBuilder json(std::string name) { return add(std::move(name), ColumnKind::Json); }
    ColumnBuilder binary(std::string name) { return add(std::move(name), ColumnKind::Binary); }
    ColumnBuilder uuid(std::string name) { return add(std::move(name), ColumnKind::Uuid); }
    void timestamps();  // created_at, updated_at (timestamptz on PostgreSQL), nullable

    void dropColumn(std::string name) { dropped_.push_back(std::move(name)); }
    void dropColumns(const std::vector<std::string>& names) { dropped_.insert(dropped_.end(), names.begin(), names.end()); }
    void renameColumn(std::string from, std::string to) { renamed_.emplace_back(std::move(from), std::move(to)); }
    // Index and constraint names are knex's: <table>_<columns joined by _>_<unique|index|foreign>.
    void unique(std::vector<std::string> columns) { uniques_.push_back(std::move(columns)); }
    void index(std::vector<std::string> columns) { indexes_.push_back(std::move(columns)); }
    void primary(std::vector<std::string> columns) { primary_ = std::move(columns); }
    ForeignBuilder foreign(std::string column);
    ForeignBuilder foreign(std::vector<std::string> columns);
    void dropUnique(std::vector<std::string> columns) { droppedUniques_.push_back(std::move(columns)); }
    void dropIndex(std::vector<std::string> columns) { droppedIndexes_.push_back(std::move(columns)); }
    void dropForeign(std::vector<std::string> columns) { droppedForeigns_.push_back(std::move(columns)); }
    void dropPrimary() { dropPrimary_ = true; }

    const std::string& tableName() const { return table_; }
    const std::deque<ColumnSpec>& columns() const { return columns_; }
    const std::vector<std::string>& droppedColumns() const { return dropped_; }
    const std::vector<std::pair<std::string, std::string>>& renamedColumns() const { return renamed_; }
    const std::vector<std::vector<std::string>>& uniques() const { return uniques_; }
    const std::vector<std::vector<std::string>>& indexes() const { return indexes_; }
    const std::vector<std::string>& primaryKey() const { return primary_; }
    const std::deque<ForeignSpec>& foreigns() const { return foreigns_; }
    const std::vector<std::vector<std::string>>& droppedUniques() const { return droppedUniques_; }
    const std::vector<std::vector<std::string>>& droppedIndexes() const { return droppedIndexes_; }
    const std::vector<std::vector<std::string>>& droppedForeigns() const { return droppedForeigns_; }
    bool primaryDropped() const { return dropPrimary_; }

private:
    ColumnBuilder add(std::string name, ColumnKind kind);
    std::string table_;
    std::deque<ColumnSpec> columns_;  // deque: ColumnBuilders keep pointing at their spec
    std::vector<std::string> dropped_;
    std::vector<std::pair<std::string, std::string>> renamed_;
    std::vector<std::vector<std::string>> uniques_, indexes_;
    std::vector<std::string> primary_;
    std::deque<ForeignSpec> foreigns_;
    std::vector<std::vector<std::string>> droppedUniques_, droppedIndexes_, droppedForeigns_;
    bool dropPrimary_ = false;
};

}  // namespace lucid
