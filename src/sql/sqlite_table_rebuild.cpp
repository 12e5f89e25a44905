#include "sql/sqlite_table_rebuild.hpp"

#include "sql/dialect.hpp"
#include "sql/schema_sql.hpp"

#include <lucid/errors.hpp>
#include <lucid/query_client.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace lucid::detail {
namespace {

struct LiveColumn {
    std::string name, type;
    bool notNull = false;
    std::optional<std::string> defaultSql;
    int64_t pk = 0;  // position in the primary key, 0 when not part of it
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool touches(const std::vector<std::string>& columns, const std::set<std::string>& dropped) {
    return std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return dropped.count(c) > 0; });
}

std::vector<std::string> names(QueryClient& client, const std::string& sql, const std::string& arg) {
    std::vector<std::string> out;
    for (const Row& r : client.rawQuery(sql, {arg})) out.push_back(r.get<std::string>("name"));
    return out;
}

// Dropping the table runs an implicit DELETE, and the actions of other tables' foreign keys fire even when
// the checks are deferred: PRAGMA foreign_keys is what stops them, and it cannot change inside a transaction.
// The Migrator turns it off around a migration that meets this error (Dialect::rebuildGuard).
void refuseWhenReferencedWithActions(const Dialect& d, QueryClient& client, const std::string& table) {
    if (client.rawQuery("select foreign_keys as fk from pragma_foreign_keys")[0].get<int64_t>("fk") == 0) return;  // no action can fire
    for (const Row& t : client.execute(Statement{.sql = d.listTablesSQL()})) {
        const auto child = t.get<std::string>("name");
        if (child == table) continue;
        for (const Row& fk : client.rawQuery("select \"table\" as parent, on_delete from pragma_foreign_key_list(?)", {child})) {
            const auto action = fk.get<std::string>("on_delete");
            if (fk.get<std::string>("parent") != table || action == "NO ACTION") continue;
            if (client.rawQuery("select 1 from " + d.quoted(child) + " limit 1").empty()) continue;
            throw Error("E_UNSAFE_REBUILD", "Cannot rebuild table \"" + table + "\": rows of \"" + child + "\" reference it with ON DELETE " +
                                                action + ", which SQLite would apply while the table is replaced; "
                                                "run the change in a migration (the Migrator then turns foreign keys off around it)");
        }
    }
}

}  // namespace

std::vector<std::string> sqliteRebuildTableSQL(const Dialect& d, QueryClient& client, const TableBuilder& changes) {
    const std::string& table = changes.tableName();
    Result master = client.rawQuery("select sql from sqlite_master where type = 'table' and name = ?", {table});
    if (master.empty()) throw Error("E_MISSING_TABLE", "Cannot alter table \"" + table + "\": it does not exist");
    const std::string createSql = lower(master[0].get<std::string>("sql"));
    // what pragma table_info does not report would be lost silently: refuse instead
    static const std::regex unsupported(R"(\b(check\s*\(|collate\b|generated\b|without\s+rowid))");
    if (std::regex_search(createSql, unsupported))
        throw Error("E_UNSUPPORTED_REBUILD", "Cannot rebuild table \"" + table +
                                                 "\": it has CHECK, COLLATE, generated columns or WITHOUT ROWID, which a rebuild would not keep");
    refuseWhenReferencedWithActions(d, client, table);

    std::vector<LiveColumn> columns;
    for (const Row& r : client.rawQuery("select name, type, \"notnull\" as nn, dflt_value, pk from pragma_table_info(?) order by cid", {table}))
        columns.push_back(LiveColumn{r.get<std::string>("name"), r.get<std::string>("type"), r.get<int64_t>("nn") != 0,
                                     r.get<std::optional<std::string>>("dflt_value"), r.get<int64_t>("pk")});
    auto has = [&](const std::string& name) {
        return std::any_of(columns.begin(), columns.end(), [&](const LiveColumn& c) { return c.name == name; });
    };
    const std::set<std::string> dropped(changes.droppedColumns().begin(), changes.droppedColumns().end());
    std::map<std::string, const ColumnSpec*> altered;
    for (const auto& c : changes.columns())
        if (c.alter) altered[c.name] = &c;
    for (const auto& [name, spec] : altered) {
        if (!has(name)) throw Error("E_MISSING_COLUMN", "Cannot alter column \"" + table + "." + name + "\": it does not exist");
        if (d.columnTypeIsPrimaryKey(spec->kind)) throw Error("E_INVALID_COLUMN", "an increments column cannot be altered: \"" + name + "\"");
    }
    for (const auto& name : dropped)
        if (!has(name)) throw Error("E_MISSING_COLUMN", "Cannot drop column \"" + table + "." + name + "\": it does not exist");

    std::vector<std::pair<int64_t, std::string>> pkOrder;
    for (const auto& c : columns)
        if (c.pk > 0) pkOrder.emplace_back(c.pk, c.name);
    std::sort(pkOrder.begin(), pkOrder.end());
    std::vector<std::string> primary;
    for (const auto& p : pkOrder) primary.push_back(p.second);
    if (changes.primaryDropped()) {
        if (primary.empty()) throw Error("E_MISSING_PRIMARY_KEY", "Cannot drop the primary key of \"" + table + "\": it has none");
        primary.clear();
    }
    if (!changes.primaryKey().empty()) primary = changes.primaryKey();
    if (touches(primary, dropped)) throw Error("E_INVALID_COLUMN", "Cannot drop a column of the primary key of \"" + table + "\"");
    // an INTEGER PRIMARY KEY AUTOINCREMENT stays one (it is the rowid: the row ids are kept as they are)
    const bool autoincrement = createSql.find("autoincrement") != std::string::npos && primary.size() == 1 && changes.primaryKey().empty();

    std::string create = "create table " + d.quoted(table) + " (";
    std::vector<std::string> kept;
    for (const auto& c : columns) {
        if (dropped.count(c.name)) continue;
        kept.push_back(c.name);
        std::string def;
        if (auto it = altered.find(c.name); it != altered.end()) {
            def = columnDefinition(*it->second, d, table);
        } else {
            def = d.quoted(c.name) + (c.type.empty() ? "" : " " + c.type);
            if (c.notNull) def += " not null";
            if (c.defaultSql) def += " default " + *c.defaultSql;
        }
        if (autoincrement && c.name == primary[0]) def += " primary key autoincrement";
        create += (kept.size() > 1 ? ", " : "") + def;
    }
    if (!primary.empty() && !autoincrement) create += ", primary key (" + columnList(primary, d) + ")";

    for (const Row& ix : client.rawQuery("select name from pragma_index_list(?) where origin = 'u'", {table})) {
        auto cols = names(client, "select name from pragma_index_info(?) order by seqno", ix.get<std::string>("name"));
        if (!touches(cols, dropped)) create += ", unique (" + columnList(cols, d) + ")";
    }

    std::map<int64_t, ForeignSpec> foreigns;
    for (const Row& r : client.rawQuery("select id, \"table\" as parent, \"from\" as col, \"to\" as ref, on_update, on_delete "
                                        "from pragma_foreign_key_list(?) order by id, seq", {table})) {
        ForeignSpec& fk = foreigns[r.get<int64_t>("id")];
        fk.referencesTable = r.get<std::string>("parent");
        fk.columns.push_back(r.get<std::string>("col"));
        if (auto ref = r.get<std::optional<std::string>>("ref")) fk.referencesColumns.push_back(*ref);
        auto action = [](std::string a) { return a == "NO ACTION" ? std::string() : lower(a); };
        fk.onDelete = action(r.get<std::string>("on_delete"));
        fk.onUpdate = action(r.get<std::string>("on_update"));
    }
    for (const auto& cols : changes.droppedForeigns()) {
        auto it = std::find_if(foreigns.begin(), foreigns.end(), [&](const auto& f) { return f.second.columns == cols; });
        if (it == foreigns.end())
            throw Error("E_MISSING_FOREIGN_KEY", "Cannot drop foreign key \"" + indexName(table, cols, "foreign") + "\": table \"" + table +
                                                     "\" has no foreign key on these columns");
        foreigns.erase(it);
    }
    for (const auto& [id, fk] : foreigns)
        if (!touches(fk.columns, dropped)) create += ", " + foreignKeySQL(d, table, fk);
    for (const auto& fk : changes.foreigns()) create += ", " + foreignKeySQL(d, table, fk);
    create += ")";

    std::vector<std::string> indexes;
    for (const Row& ix : client.rawQuery("select il.name, m.sql from pragma_index_list(?) il join sqlite_master m "
                                         "on m.type = 'index' and m.name = il.name where il.origin = 'c'", {table})) {
        if (!touches(names(client, "select name from pragma_index_info(?)", ix.get<std::string>("name")), dropped))
            indexes.push_back(ix.get<std::string>("sql"));
    }

    const std::string old = d.quoted("_lucid_old_" + table);
    const std::string list = columnList(kept, d);
    std::vector<std::string> out{std::string(d.deferForeignKeysSQL()),
                                 "create table " + old + " as select * from " + d.quoted(table),
                                 "drop table " + d.quoted(table),
                                 create,
                                 "insert into " + d.quoted(table) + " (" + list + ") select " + list + " from " + old,
                                 "drop table " + old};
    out.insert(out.end(), indexes.begin(), indexes.end());
    if (autoincrement) {
        // the next id stays what it was, even when the newest rows had been deleted
        Result seq = client.rawQuery("select seq from sqlite_sequence where name = ?", {table});
        if (!seq.empty())
            out.push_back("update sqlite_sequence set seq = " + d.literal(seq[0]["seq"]) + " where name = " + d.literal(Value(table)));
    }
    return out;
}

}  // namespace lucid::detail
