#pragma once
// One object per database answers every per-database question; nothing else asks "which database?".
#include <lucid/query_client.hpp>
#include <lucid/detail/query_state.hpp>
#include <lucid/table_builder.hpp>
#include <lucid/value.hpp>

#include "database/statement.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    // Whether the driver reports the id of an inserted row; else it comes back through RETURNING.
    virtual bool hasLastInsertId() const = 0;
    // Beyond this many values, `col in (...)` becomes one bound list (an array or a JSON array).
    virtual std::size_t inlineListLimit() const = 0;
    // `col [not] in <one binding holding every value>`; appends the binding text to `sql`.
    virtual void listMembership(std::string& sql, std::string_view column, bool negate, std::string_view placeholder) const = 0;
    // The one binding, or nothing when a value cannot travel inside it unchanged (then the list is inlined).
    virtual std::optional<Value> encodeList(const Bindings& values) const = 0;
    virtual bool offsetNeedsLimit() const = 0;
    // How one UPDATE writes many rows' own values (compileKeyedUpdate): a CASE per column, whose ELSE branch
    // gives PostgreSQL each placeholder's type; or, where a long CASE is tried branch by branch for every row
    // (SQLite), a join with a VALUES list of whole rows.
    virtual bool updatesFromValues() const { return false; }
    // " for update skip locked" and kin; empty where rows cannot be locked (SQLite locks the database)
    virtual std::string lockClause(RowLock lock, LockWait wait) const = 0;
    virtual std::string_view caseInsensitiveLike() const = 0;
    virtual std::string_view dropCascade() const = 0;  // suffix of DROP TABLE that drops dependents too
    // Starts a transaction: taking the write lock up front where a database would otherwise fail a
    // later upgrade from read to write without waiting.
    virtual std::string beginTransactionSql(std::optional<IsolationLevel> level) const;
    // fn(argument) as a value that reads alike on every database: sum/min/max of a column with a scale as
    // decimal text of that scale; avg as a double.
    virtual std::string aggregate(std::string_view fn, const std::string& argument, int scale) const;

    // DDL
    virtual std::string columnType(const ColumnSpec& column) const = 0;
    virtual bool columnTypeIsPrimaryKey(ColumnKind kind) const { return kind == ColumnKind::Increments || kind == ColumnKind::BigIncrements; }
    std::string literal(const Value& v) const;  // defaults in DDL, where bindings cannot go
    virtual std::string booleanLiteral(bool b) const = 0;
    virtual std::string hasTableSQL() const = 0;
    // TRUNCATE with the identity restarted; `exists` answers whether a table is there (SQLite's sequences).
    virtual std::vector<Statement> truncate(std::string_view table, bool cascade,
                                            const std::function<bool(const std::string&)>& exists) const = 0;      // one '?' = table name; returns a row when present
    virtual std::string columnsSQL() const = 0;       // one '?' = table name; rows (name, type)
    virtual std::string renameColumnSQL(std::string_view table, std::string_view from, std::string_view to) const;
    // Normalised type family for comparing key columns ("integer", "text", ...).
    virtual std::string typeFamily(std::string_view declaredType) const = 0;

    // Schema changes of migrations (alterTable beyond adding columns) and the migrator's needs.
    // A unique constraint as knex makes it: PostgreSQL a constraint, SQLite a unique index.
    virtual std::string addUniqueSQL(std::string_view table, std::string_view name, std::string_view columnList) const = 0;
    virtual std::string dropUniqueSQL(std::string_view table, std::string_view name) const = 0;
    // ALTER COLUMN's statements for `.alter()`; empty where the table is rebuilt instead.
    virtual std::vector<std::string> alterColumnSQL(std::string_view table, const ColumnSpec& column) const = 0;
    // Whether foreign keys, primary keys, dropped and altered columns need the table rebuilt (SQLite's
    // ALTER TABLE cannot change them), and the statements that do it, read from the live table.
    virtual bool rebuildsTableToAlter() const { return false; }
    virtual std::vector<std::string> rebuildTableSQL(QueryClient& client, const TableBuilder& changes) const;
    // Run first in a transaction whose statements briefly break foreign keys (a rebuild, dropping all tables).
    virtual std::string_view deferForeignKeysSQL() const = 0;
    // Around a migration whose table rebuild other tables' foreign key actions (ON DELETE CASCADE...) would
    // reach: `before` runs on its connection outside its transaction before it begins, `check` inside it
    // before the commit (its rows are violations), `after` once it ended. Empty where no rebuild needs it.
    struct RebuildGuard {
        std::vector<std::string> before, after;
        std::string check;
    };
    virtual RebuildGuard rebuildGuard() const { return {}; }
    // Lucid's migration lock (a row with one boolean column `locked`); empty where there is none.
    virtual std::string_view advisoryLockSQL() const = 0;
    virtual std::string_view advisoryUnlockSQL() const = 0;
    virtual std::string listTablesSQL() const = 0;  // rows (name): every table of the connection's schema

    // Reading a live table back (make:model): one '?' = table name; rows (name, type, nullable, is_primary)
    // in the table's column order, `type` as the database declares it ("varchar(255)", "numeric(8,2)").
    virtual std::string describeColumnsSQL() const = 0;
    // The schema builder's column for a declared type (the inverse of columnType), with its length,
    // precision and scale; nullopt for a type the schema builder does not make (arrays, intervals...).
    virtual std::optional<ColumnSpec> columnOfType(std::string_view declaredType) const = 0;

protected:
    // `kind`, with the numbers of "name(a)" or "name(a, b)" as length or precision and scale.
    static ColumnSpec sizedColumn(ColumnKind kind, std::string_view declaredType);
};

const Dialect& sqliteDialect();
const Dialect& postgresDialect();

}  // namespace lucid::detail
