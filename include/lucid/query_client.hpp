#pragma once
// Anything that runs queries: the Database, a named Connection, a Transaction.
#include <lucid/result.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace lucid {

class Database;
class QueryBuilder;
class Schema;
class Transaction;

namespace detail {
class Dialect;
struct TransactionCore;
struct Statement;  // src/database/statement.hpp: the SQL, bindings and run flags a driver receives
struct RowSink;
class RowReader;  // src/database/driver.hpp: a statement's rows pulled one by one (cursor())
}  // namespace detail

struct QueryEvent {
    std::string_view connection;
    std::string_view sql;
    const Bindings& bindings;
    std::chrono::nanoseconds duration;
    bool inTransaction;
    std::string_view model;  // "" for queries that no model issued
    bool failed = false;
};

// Isolation levels of a transaction (SQLite's transactions are serializable whatever is asked).
enum class IsolationLevel { ReadUncommitted, ReadCommitted, RepeatableRead, Serializable };
struct TransactionOptions {
    std::optional<IsolationLevel> isolationLevel;  // unset: the database's default
};

// 16-aligned: a model keeps its client's address with four flags in the low bits.
class alignas(16) QueryClient {
public:
    virtual ~QueryClient() = default;

    // Raw SQL with `?` placeholders on every dialect (`\?` for a literal question mark).
    Result rawQuery(std::string_view sql, const Bindings& bindings = {});
    QueryBuilder from(std::string_view table);
    QueryBuilder table(std::string_view table);
    QueryBuilder query();
    // FROM (subquery) AS alias: db.fromSub(db.from("posts").select("user_id").groupBy("user_id"), "active")
    template <class Q> QueryBuilder fromSub(const Q& sub, std::string_view alias);
    Schema schema();
    // Every row gone and the identity restarted (the next id is 1), as knex does; cascade: PostgreSQL also
    // empties the tables whose foreign keys point here (SQLite has no such dependency).
    void truncate(std::string_view table, bool cascade = false);

    // Manual; a savepoint when called on a transaction (which takes no isolation level).
    Transaction transaction();
    virtual Transaction transaction(const TransactionOptions& options) = 0;
    // Managed: commits when fn returns, rolls back and rethrows when it throws.
    template <class F> auto transaction(F&& fn, const TransactionOptions& options = {}) -> std::invoke_result_t<F, Transaction&>;

    // The engine room, shared by the library's layers.
    virtual Result execute(const detail::Statement& statement) = 0;
    // Runs a SELECT and hands its rows to `sink` as they come, without holding the whole result.
    virtual void stream(const detail::Statement& statement, detail::RowSink& sink);
    // Runs a SELECT whose rows are then pulled one by one; the reader holds the connection until destroyed.
    virtual std::unique_ptr<detail::RowReader> read(const detail::Statement& statement);
    virtual const detail::Dialect& dialect() const = 0;
    virtual const std::string& connectionName() const = 0;
    virtual Database& database() const = 0;
    // The open transaction behind this client, or nullptr.
    virtual std::shared_ptr<detail::TransactionCore> transactionCore() const { return nullptr; }
};

}  // namespace lucid
