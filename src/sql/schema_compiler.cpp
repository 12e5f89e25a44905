#include <lucid/query.hpp>
#include <lucid/schema.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

namespace lucid {

ColumnBuilder& ColumnBuilder::references(std::string column) {
    auto dot = column.find('.');
    if (dot != std::string::npos) {
        s_->referencesTable = column.substr(0, dot);
        s_->referencesColumn = column.substr(dot + 1);
    } else {
        s_->referencesColumn = std::move(column);
    }
    return *this;
}

ColumnBuilder TableBuilder::add(std::string name, ColumnKind kind) {
    if (name.empty()) throw Error("E_INVALID_COLUMN", "a column of table \"" + table_ + "\" needs a name");
    columns_.push_back(ColumnSpec{.name = std::move(name), .kind = kind});
    return ColumnBuilder(columns_.back());
}
ColumnBuilder TableBuilder::string(std::string name, int length) {
    auto b = add(std::move(name), ColumnKind::String);
    columns_.back().length = length;
    return b;
}
ColumnBuilder TableBuilder::decimal(std::string name, int precision, int scale) {
    auto b = add(std::move(name), ColumnKind::Decimal);
    columns_.back().precision = precision;
    columns_.back().scale = scale;
    return b;
}
void TableBuilder::timestamps() {
    timestamp("created_at").nullable();
    timestamp("updated_at").nullable();
}

namespace {

std::string columnDefinition(const ColumnSpec& c, const detail::Dialect& d, const std::string& table) {
    std::string s = d.quoted(c.name) + ' ' + d.columnType(c);
    if (c.nullable && !*c.nullable && !d.columnTypeIsPrimaryKey(c.kind)) s += " not null";
    if (c.defaultValue) s += " default " + d.literal(*c.defaultValue);
    else if (!c.defaultRaw.empty()) s += " default " + c.defaultRaw;
    if (c.primary && !d.columnTypeIsPrimaryKey(c.kind)) s += " primary key";
    if (!c.referencesColumn.empty()) {
        if (c.referencesTable.empty())
            throw Error("E_INVALID_REFERENCE", "column \"" + table + "." + c.name + "\" references \"" + c.referencesColumn +
                                                   "\" without inTable(...)");
        s += " references " + d.quoted(c.referencesTable) + " (" + d.quoted(c.referencesColumn) + ")";
        if (!c.onDelete.empty()) s += " on delete " + c.onDelete;
        if (!c.onUpdate.empty()) s += " on update " + c.onUpdate;
    }
    return s;
}

std::string indexName(const std::string& table, const std::vector<std::string>& columns, const char* suffix) {
    std::string n = table;
    for (const auto& c : columns) n += "_" + c;
    return n + "_" + suffix;
}

std::string columnList(const std::vector<std::string>& columns, const detail::Dialect& d) {
    std::string s;
    for (std::size_t i = 0; i < columns.size(); ++i) s += (i ? ", " : "") + d.quoted(columns[i]);
    return s;
}

void indexStatements(const TableBuilder& t, const detail::Dialect& d, std::vector<std::string>& out) {
    const auto& table = t.tableName();
    for (const auto& c : t.columns()) {
        if (c.unique)
            out.push_back("create unique index " + d.quoted(indexName(table, {c.name}, "unique")) + " on " + d.quoted(table) +
                          " (" + d.quoted(c.name) + ")");
        if (c.index)
            out.push_back("create index " + d.quoted(indexName(table, {c.name}, "index")) + " on " + d.quoted(table) + " (" +
                          d.quoted(c.name) + ")");
    }
    for (const auto& u : t.uniques())
        out.push_back("create unique index " + d.quoted(indexName(table, u, "unique")) + " on " + d.quoted(table) + " (" +
                      columnList(u, d) + ")");
    for (const auto& i : t.indexes())
        out.push_back("create index " + d.quoted(indexName(table, i, "index")) + " on " + d.quoted(table) + " (" +
                      columnList(i, d) + ")");
}

std::vector<std::string> createStatements(const TableBuilder& t, const detail::Dialect& d, bool ifNotExists) {
    if (t.columns().empty()) throw Error("E_INVALID_TABLE", "table \"" + t.tableName() + "\" needs at least one column");
    std::string s = std::string("create table ") + (ifNotExists ? "if not exists " : "") + d.quoted(t.tableName()) + " (";
    bool first = true;
    for (const auto& c : t.columns()) {
        s += (first ? "" : ", ") + columnDefinition(c, d, t.tableName());
        first = false;
    }
    if (!t.primaryKey().empty()) s += ", primary key (" + columnList(t.primaryKey(), d) + ")";
    s += ")";
    std::vector<std::string> out{s};
    indexStatements(t, d, out);
    return out;
}

}  // namespace

void Schema::run(const std::vector<std::string>& statements) {
    for (const auto& sql : statements) client_->execute(detail::Statement{.sql = sql});
}

std::vector<std::string> Schema::createTableSQL(const std::string& table, const std::function<void(TableBuilder&)>& build) const {
    TableBuilder t(table);
    build(t);
    return createStatements(t, client_->dialect(), false);
}

void Schema::createTable(const std::string& table, const std::function<void(TableBuilder&)>& build) {
    run(createTableSQL(table, build));
}

void Schema::createTableIfNotExists(const std::string& table, const std::function<void(TableBuilder&)>& build) {
    TableBuilder t(table);
    build(t);
    if (!hasTable(table)) run(createStatements(t, client_->dialect(), true));
}

void Schema::alterTable(const std::string& table, const std::function<void(TableBuilder&)>& build) {
    TableBuilder t(table);
    build(t);
    const auto& d = client_->dialect();
    std::vector<std::string> out;
    for (const auto& c : t.columns())
        out.push_back("alter table " + d.quoted(table) + " add column " + columnDefinition(c, d, table));
    for (const auto& [from, to] : t.renamedColumns()) out.push_back(d.renameColumnSQL(table, from, to));
    for (const auto& c : t.droppedColumns()) out.push_back("alter table " + d.quoted(table) + " drop column " + d.quoted(c));
    indexStatements(t, d, out);
    run(out);
}

void Schema::dropTable(const std::string& table) { run({"drop table " + client_->dialect().quoted(table)}); }
void Schema::dropTableIfExists(const std::string& table) {
    run({"drop table if exists " + client_->dialect().quoted(table)});
}
void Schema::dropTableIfExists(const std::string& table, bool cascade) {
    run({"drop table if exists " + client_->dialect().quoted(table) + (cascade ? std::string(client_->dialect().dropCascade()) : "")});
}
void Schema::renameTable(const std::string& from, const std::string& to) {
    const auto& d = client_->dialect();
    run({"alter table " + d.quoted(from) + " rename to " + d.quoted(to)});
}

bool Schema::hasTable(const std::string& table) {
    return !client_->rawQuery(client_->dialect().hasTableSQL(), {table}).empty();
}

bool Schema::hasColumn(const std::string& table, const std::string& column) {
    for (const Row& r : client_->rawQuery(client_->dialect().columnsSQL(), {table}))
        if (r.get<std::string>("name") == column) return true;
    return false;
}

}  // namespace lucid
