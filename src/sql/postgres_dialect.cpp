#include "sql/dialect.hpp"

#include <algorithm>
#include <charconv>

namespace lucid::detail {
namespace {

class PostgresDialect final : public Dialect {
public:
    std::string_view name() const override { return "postgres"; }
    bool hasLastInsertId() const override { return false; }
    void placeholder(std::string& out, std::size_t n) const override {
        out += '$';
        out += std::to_string(n);
    }
    std::size_t maxBindings() const override { return 65535; }
    std::size_t inlineListLimit() const override { return 100; }
    void listMembership(std::string& sql, std::string_view column, bool negate, std::string_view ph) const override {
        if (negate) sql.append("not (");
        sql.append(column).append(" = any(").append(ph).append(")");
        if (negate) sql.append(")");
    }
    // An array literal: {1,2,"text with \"quotes\""}; the server infers the element type from the column.
    std::optional<Value> encodeList(const Bindings& values) const override {
        std::string s = "{";
        s.reserve(values.size() * 8 + 2);
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i) s += ',';
            const Value& v = values[i];
            switch (v.kind()) {
            case Value::Kind::Null: s += "NULL"; break;
            case Value::Kind::Bool: s += std::get<bool>(v.storage()) ? "t" : "f"; break;
            case Value::Kind::Int: {
                char buf[24];
                s.append(buf, std::to_chars(buf, buf + sizeof buf, std::get<int64_t>(v.storage())).ptr);
                break;
            }
            case Value::Kind::Double: s += v.toDebugString(); break;
            case Value::Kind::Text:
                s += '"';
                for (char c : std::get<std::string>(v.storage())) {
                    if (c == '"' || c == '\\') s += '\\';
                    s += c;
                }
                s += '"';
                break;
            case Value::Kind::Blob: return std::nullopt;  // a text array cannot hold bytea
            }
        }
        return Value(s + "}");
    }
    bool offsetNeedsLimit() const override { return false; }
    std::string lockClause(RowLock lock, LockWait wait) const override {
        std::string s = lock == RowLock::Share ? " for share" : " for update";
        if (wait == LockWait::SkipLocked) s += " skip locked";
        else if (wait == LockWait::NoWait) s += " nowait";
        return s;
    }
    std::string_view dropCascade() const override { return " cascade"; }
    std::string aggregate(std::string_view fn, const std::string& argument, int scale) const override {
        std::string e = Dialect::aggregate(fn, argument, scale);
        if (fn == "avg") return e + "::float8";  // numeric otherwise, where SQLite gives a REAL
        if (scale < 0 || fn == "count") return e;
        return "round((" + e + ")::numeric, " + std::to_string(scale) + ")::text";  // numeric rounds half away from zero
    }
    std::string_view caseInsensitiveLike() const override { return "ilike"; }
    std::string booleanLiteral(bool b) const override { return b ? "true" : "false"; }

    std::string columnType(const ColumnSpec& c) const override {
        switch (c.kind) {
        case ColumnKind::Increments: return "serial primary key";
        case ColumnKind::BigIncrements: return "bigserial primary key";
        case ColumnKind::Integer: return "integer";
        case ColumnKind::BigInteger: return "bigint";
        case ColumnKind::String: return "varchar(" + std::to_string(c.length) + ")";
        case ColumnKind::Text: return "text";
        case ColumnKind::Boolean: return "boolean";
        case ColumnKind::Float: return "real";
        case ColumnKind::Double: return "double precision";
        case ColumnKind::Decimal: return "decimal(" + std::to_string(c.precision) + ", " + std::to_string(c.scale) + ")";
        case ColumnKind::Date: return "date";
        case ColumnKind::DateTime:
        case ColumnKind::Timestamp: return "timestamptz";
        case ColumnKind::Json: return "json";
        case ColumnKind::Binary: return "bytea";
        case ColumnKind::Uuid: return "uuid";
        }
        return "text";
    }
    std::vector<Statement> truncate(std::string_view table, bool cascade, const std::function<bool(const std::string&)>&) const override {
        std::vector<Statement> out(1);
        out[0].preparable = false;
        quote(out[0].sql.append("truncate table "), table);
        out[0].sql += cascade ? " restart identity cascade" : " restart identity";
        return out;
    }
    std::string hasTableSQL() const override {
        return "select 1 from information_schema.tables where table_schema = current_schema() and table_name = ?";
    }
    std::string columnsSQL() const override {
        return "select column_name as name, data_type as type from information_schema.columns "
               "where table_schema = current_schema() and table_name = ? order by ordinal_position";
    }
    std::string typeFamily(std::string_view t) const override {
        std::string s(t);
        if (s == "smallint" || s == "integer" || s == "bigint") return "integer";
        if (s == "character varying" || s == "text" || s == "character") return "text";
        if (s == "real" || s == "double precision") return "real";
        if (s.rfind("timestamp", 0) == 0) return "timestamp";
        return s;
    }

    std::string addUniqueSQL(std::string_view table, std::string_view name, std::string_view columns) const override {
        return "alter table " + quoted(table) + " add constraint " + quoted(name) + " unique (" + std::string(columns) + ")";
    }
    std::string dropUniqueSQL(std::string_view table, std::string_view name) const override {
        return "alter table " + quoted(table) + " drop constraint " + quoted(name);
    }
    // knex's order: what the new definition does not say goes first, so that the type change cannot trip on it
    std::vector<std::string> alterColumnSQL(std::string_view table, const ColumnSpec& c) const override {
        const std::string head = "alter table " + quoted(table) + " alter column " + quoted(c.name) + " ";
        const std::string type = columnType(c);
        std::vector<std::string> out{head + "drop default", head + "drop not null",
                                     head + "type " + type + " using (" + quoted(c.name) + "::" + type + ")"};
        if (c.defaultValue) out.push_back(head + "set default " + literal(*c.defaultValue));
        else if (!c.defaultRaw.empty()) out.push_back(head + "set default " + c.defaultRaw);
        if (c.nullable && !*c.nullable) out.push_back(head + "set not null");
        return out;
    }
    std::string_view deferForeignKeysSQL() const override { return ""; }  // DROP ... CASCADE covers it
    std::string_view advisoryLockSQL() const override { return "select pg_try_advisory_lock(1) as locked"; }
    std::string_view advisoryUnlockSQL() const override { return "select pg_advisory_unlock(1) as locked"; }
    std::string listTablesSQL() const override {
        return "select tablename as name from pg_tables where schemaname = current_schema() order by tablename";
    }
    // format_type gives the type as it was declared, with its length, precision and scale
    std::string describeColumnsSQL() const override {
        return "select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, not a.attnotnull as nullable, "
               "exists (select 1 from pg_index i where i.indrelid = a.attrelid and i.indisprimary and a.attnum = any(i.indkey)) "
               "as is_primary from pg_attribute a where a.attrelid = (select c.oid from pg_class c join pg_namespace n "
               "on n.oid = c.relnamespace where n.nspname = current_schema() and c.relname = ?) "
               "and a.attnum > 0 and not a.attisdropped order by a.attnum";
    }
    std::optional<ColumnSpec> columnOfType(std::string_view t) const override {
        auto is = [&](std::string_view name) { return t == name || (t.rfind(name, 0) == 0 && t.size() > name.size() && t[name.size()] == '('); };
        if (is("smallint") || is("integer")) return sizedColumn(ColumnKind::Integer, t);
        if (is("bigint")) return sizedColumn(ColumnKind::BigInteger, t);
        if (is("boolean")) return sizedColumn(ColumnKind::Boolean, t);
        if (is("character varying") || is("character")) return sizedColumn(ColumnKind::String, t);
        if (is("text")) return sizedColumn(ColumnKind::Text, t);
        if (is("real")) return sizedColumn(ColumnKind::Float, t);
        if (is("double precision")) return sizedColumn(ColumnKind::Double, t);
        if (is("numeric")) return sizedColumn(ColumnKind::Decimal, t);
        if (is("date")) return sizedColumn(ColumnKind::Date, t);
        if (t.rfind("timestamp", 0) == 0) return sizedColumn(ColumnKind::DateTime, t);
        if (is("json") || is("jsonb")) return sizedColumn(ColumnKind::Json, t);
        if (is("bytea")) return sizedColumn(ColumnKind::Binary, t);
        if (is("uuid")) return sizedColumn(ColumnKind::Uuid, t);
        return std::nullopt;
    }
};

}  // namespace

const Dialect& postgresDialect() {
    static const PostgresDialect d;
    return d;
}

}  // namespace lucid::detail
