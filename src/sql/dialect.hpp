#pragma once
// One object per database answers every per-database question; nothing else asks "which database?".
#include <lucid/schema.hpp>
#include <lucid/value.hpp>

#include <string>
#include <string_view>

namespace lucid::detail {

class Dialect {
public:
    virtual ~Dialect() = default;
    virtual std::string_view name() const = 0;

    void quote(std::string& out, std::string_view identifier) const;
    std::string quoted(std::string_view identifier) const {
        std::string s;
        quote(s, identifier);
        return s;
    }
    virtual void placeholder(std::string& out, std::size_t number) const = 0;  // 1-based
    virtual std::size_t maxBindings() const = 0;
    // Beyond this many values, `col in (...)` becomes one bound list (an array or a JSON array).
    virtual std::size_t inlineListLimit() const = 0;
    // `col [not] in <one binding holding every value>`; appends the binding text to `sql`.
    virtual void listMembership(std::string& sql, std::string_view column, bool negate, std::string_view placeholder) const = 0;
    virtual Value encodeList(const Bindings& values) const = 0;
    virtual bool offsetNeedsLimit() const = 0;
    virtual std::string_view forUpdateClause() const = 0;
    virtual std::string_view caseInsensitiveLike() const = 0;
    virtual std::string_view dropCascade() const = 0;  // suffix of DROP TABLE that drops dependents too
    // fn(argument) as a value that reads alike on every database: sum/min/max of a column with a scale as
    // decimal text of that scale; avg as a double.
    virtual std::string aggregate(std::string_view fn, const std::string& argument, int scale) const;

    // DDL
    virtual std::string columnType(const ColumnSpec& column) const = 0;
    virtual bool columnTypeIsPrimaryKey(ColumnKind kind) const { return kind == ColumnKind::Increments || kind == ColumnKind::BigIncrements; }
    std::string literal(const Value& v) const;  // defaults in DDL, where bindings cannot go
    virtual std::string booleanLiteral(bool b) const = 0;
    virtual std::string hasTableSQL() const = 0;      // one '?' = table name; returns a row when present
    virtual std::string columnsSQL() const = 0;       // one '?' = table name; rows (name, type)
    virtual std::string renameColumnSQL(std::string_view table, std::string_view from, std::string_view to) const;
    // Normalised type family for comparing key columns ("integer", "text", ...).
    virtual std::string typeFamily(std::string_view declaredType) const = 0;
};

const Dialect& sqliteDialect();
const Dialect& postgresDialect();

}  // namespace lucid::detail
