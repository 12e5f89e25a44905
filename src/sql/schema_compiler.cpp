#include <lucid/schema.hpp>
#include <lucid/transaction.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"
#include "sql/schema_sql.hpp"

namespace lucid {

namespace detail {

std::string indexName(const std::string& table, const std::vector<std::string>& columns, const char* suffix) {
    std::string n = table;
    for (const auto& c : columns) n += "_" + c;
    return n + "_" + suffix;
}

std::string columnList(const std::vector<std::string>& columns, const Dialect& d) {
    std::string s;
    for (std::size_t i = 0; i < columns.size(); ++i) s += (i ? ", " : "") + d.quoted(columns[i]);
    return s;
}

namespace {
std::string referencesClause(const Dialect& d, const std::string& table, const std::vector<std::string>& columns,
                             const std::string& onDelete, const std::string& onUpdate) {
    std::string s = " references " + d.quoted(table);
    if (!columns.empty()) s += " (" + columnList(columns, d) + ")";
    if (!onDelete.empty()) s += " on delete " + onDelete;
    if (!onUpdate.empty()) s += " on update " + onUpdate;
    return s;
}
}  // namespace

std::string foreignKeySQL(const Dialect& d, const std::string& table, const ForeignSpec& fk) {
    if (fk.referencesTable.empty())
        throw Error("E_INVALID_REFERENCE", "the foreign key of \"" + table + "\" on (" + columnList(fk.columns, d) +
                                               ") needs references(...) and inTable(...)");
    return "constraint " + d.quoted(indexName(table, fk.columns, "foreign")) + " foreign key (" + columnList(fk.columns, d) + ")" +
           referencesClause(d, fk.referencesTable, fk.referencesColumns, fk.onDelete, fk.onUpdate);
}

std::string columnDefinition(const ColumnSpec& c, const Dialect& d, const std::string& table) {
    std::string s = d.quoted(c.name) + ' ' + d.columnType(c);
    if (c.nullable && !*c.nullable && !d.columnTypeIsPrimaryKey(c.kind)) s += " not null";
    if (c.defaultValue) s += " default " + d.literal(*c.defaultValue);
    else if (!c.defaultRaw.empty()) s += " default " + c.defaultRaw;
    if (c.primary && !d.columnTypeIsPrimaryKey(c.kind)) s += " primary key";
    if (!c.referencesColumn.empty()) {
        if (c.referencesTable.empty())
            throw Error("E_INVALID_REFERENCE", "column \"" + table + "." + c.name + "\" references \"" + c.referencesColumn +
                                                   "\" without inTable(...)");
        // named as knex names it, so that dropForeign finds it on a database made by either
        s += " constraint " + d.quoted(indexName(table, {c.name}, "foreign")) +
             referencesClause(d, c.referencesTable, {c.referencesColumn}, c.onDelete, c.onUpdate);
    }
    return s;
}

}  // namespace detail

namespace {

using detail::columnList;
using detail::indexName;

void indexStatements(const TableBuilder& t, const detail::Dialect& d, std::vector<std::string>& out) {
    const auto& table = t.tableName();
    for (const auto& c : t.columns()) {
        if (c.unique) out.push_back(d.addUniqueSQL(table, indexName(table, {c.name}, "unique"), d.quoted(c.name)));
        if (c.index)
            out.push_back("create index " + d.quoted(indexName(table, {c.name}, "index")) + " on " + d.quoted(table) + " (" +
                          d.quoted(c.name) + ")");
    }
    for (const auto& u : t.uniques()) out.push_back(d.addUniqueSQL(table, indexName(table, u, "unique"), columnList(u, d)));
    for (const auto& i : t.indexes())
        out.push_back("create index " + d.quoted(indexName(table, i, "index")) + " on " + d.quoted(table) + " (" +
                      columnList(i, d) + ")");
}

std::vector<std::string> createStatements(const TableBuilder& t, const detail::Dialect& d, bool ifNotExists) {
    if (t.columns().empty()) throw Error("E_INVALID_TABLE", "table \"" + t.tableName() + "\" needs at least one column");
    std::string s = std::string("create table ") + (ifNotExists ? "if not exists " : "") + d.quoted(t.tableName()) + " (";
    bool first = true;
    for (const auto& c : t.columns()) {
        s += (first ? "" : ", ") + detail::columnDefinition(c, d, t.tableName());
        first = false;
    }
    if (!t.primaryKey().empty()) s += ", primary key (" + columnList(t.primaryKey(), d) + ")";
    for (const auto& fk : t.foreigns()) s += ", " + detail::foreignKeySQL(d, t.tableName(), fk);
    s += ")";
    std::vector<std::string> out{s};
    indexStatements(t, d, out);
    return out;
}

// What only a rebuild can do on SQLite, and ALTER TABLE's constraint clauses do elsewhere.
bool changesKeysOrColumns(const TableBuilder& t) {
    bool altered = false;
    for (const auto& c : t.columns()) altered = altered || c.alter;
    return altered || !t.droppedColumns().empty() || !t.foreigns().empty() || !t.droppedForeigns().empty() ||
           t.primaryDropped() || !t.primaryKey().empty();
}

void alterInPlace(const TableBuilder& t, const detail::Dialect& d, std::vector<std::string>& out) {
    const auto& table = t.tableName();
    const std::string head = "alter table " + d.quoted(table) + " ";
    for (const auto& c : t.columns()) {
        if (!c.alter) continue;
        if (d.columnTypeIsPrimaryKey(c.kind)) throw Error("E_INVALID_COLUMN", "an increments column cannot be altered: \"" + c.name + "\"");
        auto statements = d.alterColumnSQL(table, c);
        out.insert(out.end(), statements.begin(), statements.end());
    }
    for (const auto& cols : t.droppedForeigns()) out.push_back(head + "drop constraint " + d.quoted(indexName(table, cols, "foreign")));
    if (t.primaryDropped()) out.push_back(head + "drop constraint " + d.quoted(table + "_pkey"));
    for (const auto& c : t.droppedColumns()) out.push_back(head + "drop column " + d.quoted(c));
    if (!t.primaryKey().empty())
        out.push_back(head + "add constraint " + d.quoted(table + "_pkey") + " primary key (" + columnList(t.primaryKey(), d) + ")");
    for (const auto& fk : t.foreigns()) out.push_back(head + "add " + detail::foreignKeySQL(d, table, fk));
}

}  // namespace

void Schema::run(const std::vector<std::string>& statements) {
    if (collected_) {
        collected_->insert(collected_->end(), statements.begin(), statements.end());
        return;
    }
    for (const auto& sql : statements) client_->execute(detail::Statement{.sql = sql, .preparable = false, .changesSchema = true});
}

void Schema::raw(const std::string& sql) {
    if (collected_) return run({sql});
    detail::Statement st{.sql = sql};
    detail::markUserSql(st, sql, true);
    client_->execute(st);
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
        if (!c.alter) out.push_back("alter table " + d.quoted(table) + " add column " + detail::columnDefinition(c, d, table));
    for (const auto& [from, to] : t.renamedColumns()) out.push_back(d.renameColumnSQL(table, from, to));
    for (const auto& cols : t.droppedIndexes()) out.push_back("drop index " + d.quoted(indexName(table, cols, "index")));
    for (const auto& cols : t.droppedUniques()) out.push_back(d.dropUniqueSQL(table, indexName(table, cols, "unique")));
    if (!changesKeysOrColumns(t) || !d.rebuildsTableToAlter()) {
        alterInPlace(t, d, out);
        indexStatements(t, d, out);
        run(out);
        return;
    }
    // The rebuild reads the table as the statements before it left it, and briefly breaks the foreign
    // keys that point at it: all of it in one transaction (a savepoint inside a migration's).
    auto rebuild = [&](QueryClient& client) {
        Schema steps = collected_ ? Schema(client, *collected_) : Schema(client);
        steps.run(out);
        if (collected_ && !hasTable(table)) {
            // a dry run, and an earlier pending migration makes the table: there is nothing to read yet
            steps.run({"-- " + std::string(d.name()) + " rebuilds table \"" + table + "\" here, from its definition at that point"});
            return;
        }
        std::vector<std::string> rest = d.rebuildTableSQL(client, t);
        indexStatements(t, d, rest);
        steps.run(rest);
    };
    if (collected_ || client_->transactionCore()) rebuild(*client_);
    else client_->transaction([&](Transaction& trx) { rebuild(trx); });
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
