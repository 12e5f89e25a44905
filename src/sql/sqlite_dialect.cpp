#include "sql/dialect.hpp"
#include "sql/sqlite_table_rebuild.hpp"

#include <lucid/json.hpp>

#include <algorithm>
#include <charconv>

namespace lucid::detail {
namespace {

class SqliteDialect final : public Dialect {
public:
    std::string_view name() const override { return "sqlite"; }
    bool hasLastInsertId() const override { return true; }
    void placeholder(std::string& out, std::size_t) const override { out += '?'; }
    std::size_t maxBindings() const override { return 32766; }  // SQLITE_MAX_VARIABLE_NUMBER since 3.32
    bool updatesFromValues() const override { return true; }    // UPDATE ... FROM since 3.33
    std::size_t inlineListLimit() const override { return 1000; }
    void listMembership(std::string& sql, std::string_view column, bool negate, std::string_view ph) const override {
        sql.append(column).append(negate ? " not in " : " in ").append("(select value from json_each(").append(ph).append("))");
    }
    std::optional<Value> encodeList(const Bindings& values) const override {
        // integer keys, the common case, are written directly; anything else goes through the JSON library
        if (std::all_of(values.begin(), values.end(), [](const Value& v) { return v.integer() != nullptr; })) {
            std::string out(1, '[');
            out.reserve(values.size() * 8 + 2);
            char buf[24];
            for (const auto& v : values) {
                if (out.size() > 1) out += ',';
                out.append(buf, std::to_chars(buf, buf + sizeof buf, *v.integer()).ptr);
            }
            out += ']';
            return Value(std::move(out));
        }
        auto arr = nlohmann::json::array();
        for (const auto& v : values) {
            // json_each() ends a text at a NUL byte, and JSON has no blobs
            if (v.kind() == Value::Kind::Blob) return std::nullopt;
            if (auto t = v.text(); t && t->find('\0') != std::string_view::npos) return std::nullopt;
            arr.push_back(toJson(v));
        }
        try {
            return Value(arr.dump());
        } catch (const nlohmann::json::type_error&) {
            return std::nullopt;  // text that is not UTF-8: JSON cannot carry it unchanged
        }
    }
    bool offsetNeedsLimit() const override { return true; }
    std::string lockClause(RowLock, LockWait) const override { return ""; }  // SQLite locks the whole database
    std::string_view dropCascade() const override { return ""; }
    // A deferred BEGIN takes a read lock; its first write then asks for the write lock, and when another
    // connection wrote meanwhile SQLite answers SQLITE_BUSY at once, without the busy timeout.
    // Every SQLite transaction is serializable: the level asked for is accepted and changes nothing.
    std::string beginTransactionSql(std::optional<IsolationLevel>) const override { return "begin immediate"; }
    std::string aggregate(std::string_view fn, const std::string& argument, int scale) const override {
        std::string e = Dialect::aggregate(fn, argument, scale);
        if (scale < 0 || fn == "avg" || fn == "count") return e;
        // the REAL rounded half away from zero, as text; printf would print a NULL as 0
        return "case when " + e + " is null then null else printf('%." + std::to_string(scale) + "f', " + e + ") end";
    }
    std::string_view caseInsensitiveLike() const override { return "like"; }
    std::string booleanLiteral(bool b) const override { return b ? "1" : "0"; }

    std::string columnType(const ColumnSpec& c) const override {
        switch (c.kind) {
        case ColumnKind::Increments:
        case ColumnKind::BigIncrements: return "integer not null primary key autoincrement";
        case ColumnKind::Integer: return "integer";
        case ColumnKind::BigInteger: return "bigint";
        case ColumnKind::String: return "varchar(" + std::to_string(c.length) + ")";
        case ColumnKind::Text: return "text";
        case ColumnKind::Boolean: return "boolean";
        case ColumnKind::Float: return "float";
        case ColumnKind::Double: return "double";
        case ColumnKind::Decimal: return "decimal(" + std::to_string(c.precision) + ", " + std::to_string(c.scale) + ")";
        case ColumnKind::Date: return "date";
        case ColumnKind::DateTime:
        case ColumnKind::Timestamp: return "datetime";
        case ColumnKind::Json: return "json";
        case ColumnKind::Binary: return "blob";
        case ColumnKind::Uuid: return "char(36)";
        }
        return "text";
    }
    std::vector<Statement> truncate(std::string_view table, bool, const std::function<bool(const std::string&)>& exists) const override {
        std::vector<Statement> out(1);
        quote(out[0].sql.append("delete from "), table);
        // AUTOINCREMENT tables count in sqlite_sequence, which exists once such a table was made
        if (exists("sqlite_sequence"))
            out.push_back(Statement{.sql = "delete from sqlite_sequence where name = ?", .bindings = {Value(std::string(table))}});
        return out;
    }
    std::string hasTableSQL() const override {
        return "select 1 from sqlite_master where type = 'table' and name = ?";
    }
    std::string columnsSQL() const override { return "select name, type from pragma_table_info(?)"; }
    std::string typeFamily(std::string_view t) const override {
        std::string s(t);
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
        // SQLite's type affinity rules, section 3.1 of its datatype documentation
        if (s.find("int") != std::string::npos) return "integer";
        if (s.find("char") != std::string::npos || s.find("clob") != std::string::npos || s.find("text") != std::string::npos) return "text";
        if (s.find("blob") != std::string::npos || s.empty()) return "blob";
        if (s.find("real") != std::string::npos || s.find("floa") != std::string::npos || s.find("doub") != std::string::npos) return "real";
        return "numeric";
    }

    std::string addUniqueSQL(std::string_view table, std::string_view name, std::string_view columns) const override {
        return "create unique index " + quoted(name) + " on " + quoted(table) + " (" + std::string(columns) + ")";
    }
    std::string dropUniqueSQL(std::string_view, std::string_view name) const override { return "drop index " + quoted(name); }
    std::vector<std::string> alterColumnSQL(std::string_view, const ColumnSpec&) const override { return {}; }
    bool rebuildsTableToAlter() const override { return true; }
    std::vector<std::string> rebuildTableSQL(QueryClient& client, const TableBuilder& changes) const override {
        return sqliteRebuildTableSQL(*this, client, changes);
    }
    // PRAGMA foreign_keys cannot change inside a transaction; deferring the checks to COMMIT can
    std::string_view deferForeignKeysSQL() const override { return "pragma defer_foreign_keys = on"; }
    // ... while PRAGMA foreign_keys, which stops the actions a rebuild's DROP TABLE would fire, only changes outside one
    RebuildGuard rebuildGuard() const override {
        return {.before = {"pragma foreign_keys = off"}, .after = {"pragma foreign_keys = on"}, .check = "pragma foreign_key_check"};
    }
    std::string_view advisoryLockSQL() const override { return ""; }  // one writer at a time already
    std::string_view advisoryUnlockSQL() const override { return ""; }
    std::string listTablesSQL() const override {
        return "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name";
    }
    std::string describeColumnsSQL() const override {
        return "select name, type, \"notnull\" = 0 as nullable, pk > 0 as is_primary from pragma_table_info(?) order by cid";
    }
    // The declared types columnType writes; other names by SQLite's affinity rules (section 3.1 of its
    // datatype documentation), with the type names SQLite users write for the kinds it has no affinity for.
    std::optional<ColumnSpec> columnOfType(std::string_view declared) const override {
        std::string t(declared);
        std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
        auto has = [&](const char* part) { return t.find(part) != std::string::npos; };
        if (t.rfind("bigint", 0) == 0) return sizedColumn(ColumnKind::BigInteger, t);
        if (has("int")) return sizedColumn(ColumnKind::Integer, t);
        if (has("bool")) return sizedColumn(ColumnKind::Boolean, t);
        if (has("json")) return sizedColumn(ColumnKind::Json, t);
        if (t == "text" || has("clob")) return sizedColumn(ColumnKind::Text, t);
        if (has("char") || has("text")) return sizedColumn(ColumnKind::String, t);
        if (t.empty() || has("blob")) return sizedColumn(ColumnKind::Binary, t);
        if (has("doub")) return sizedColumn(ColumnKind::Double, t);
        if (has("real") || has("floa")) return sizedColumn(ColumnKind::Float, t);
        if (has("datetime") || has("timestamp")) return sizedColumn(ColumnKind::DateTime, t);
        if (has("date")) return sizedColumn(ColumnKind::Date, t);
        if (has("dec") || has("numeric")) return sizedColumn(ColumnKind::Decimal, t);
        return std::nullopt;
    }
};

}  // namespace

const Dialect& sqliteDialect() {
    static const SqliteDialect d;
    return d;
}

}  // namespace lucid::detail
