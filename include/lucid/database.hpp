#pragma once
// The database: named connections (each with a pool and optional read replicas) and query events.
#include <lucid/query_client.hpp>
#include <lucid/json_fwd.hpp>
#include <lucid/transaction.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lucid {

struct PoolOptions {
    int min = 0;
    int max = 10;
    int acquireTimeoutMs = 60000;  // how long a thread waits for a free connection
};
struct ConnectionConfig {
    std::string url;
    PoolOptions pool;
    std::vector<std::string> readReplicas;
    bool debug = false;  // print every query to stderr
    // PostgreSQL: named prepared statements, made once per connection. Off (also with ?pgbouncer=true in
    // the URL) for a transaction-pooling PgBouncer, where a server connection serves many clients: every
    // statement is then an unnamed one. A pooler found at connect time turns them off by itself.
    bool preparedStatements = true;
    // Read-your-writes: for this long after a statement on the primary (a write, a transaction, a raw
    // query), this connection's reads go to the primary too, whatever the replicas' lag. 0: never.
    std::chrono::milliseconds stickyFor{0};
    // A read replica that cannot serve a read (down, unreachable) is left out this long, with a warning
    // on stderr; its reads go to the primary meanwhile.
    std::chrono::milliseconds replicaRetryAfter{5000};
};
// db.report(), for an application's health endpoint: Lucid's health check (`select 1` on every pool
// of every connection) with each pool's counts.
struct PoolReport {
    int max = 0, size = 0, inUse = 0, idle = 0, waiting = 0;  // size: open connections, in use or idle
    bool healthy = true;
    std::string error;  // why `select 1` failed, when not healthy
};
struct ConnectionReport {
    std::string connection;
    bool healthy = true;
    std::string message;  // Lucid's: "Connection is healthy", "Unable to reach the database server", ...
    std::string error;
    PoolReport pool;                    // the primary's
    std::vector<PoolReport> replicas;  // the read replicas', in the config's order
};
struct HealthReport {
    bool healthy = true;
    std::string message;  // "All connections are healthy" / "One or more connections are not healthy"
    std::vector<ConnectionReport> connections;
    nlohmann::json toJSON() const;  // include <lucid/json.hpp> to use it
};

struct DatabaseConfig {
    std::string connection;
    std::map<std::string, ConnectionConfig> connections;
};

namespace detail {
struct ConnectionCore;
struct EventHub;
}  // namespace detail

// A named connection: writes go to its primary, SELECTs outside transactions to its read replicas.
class Connection : public QueryClient {
public:
    Connection(Database& db, std::string name, const ConnectionConfig& config);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Transaction transaction(const TransactionOptions& options) override;
    using QueryClient::transaction;
    Result execute(const detail::Statement& statement) override;
    void stream(const detail::Statement& statement, detail::RowSink& sink) override;
    std::unique_ptr<detail::RowReader> read(const detail::Statement& statement) override;
    const detail::Dialect& dialect() const override { return *dialect_; }
    const std::string& connectionName() const override { return name_; }
    Database& database() const override { return db_; }
    ConnectionReport report();  // its health: `select 1` on its primary and on each read replica

private:
    Database& db_;
    std::string name_;
    const detail::Dialect* dialect_;
    std::unique_ptr<detail::ConnectionCore> core_;  // its pools (the primary's, the replicas') and event hub
};

// Removes its listener when destroyed.
class QuerySubscription {
public:
    QuerySubscription() = default;
    QuerySubscription(QuerySubscription&& o) noexcept : hub_(std::move(o.hub_)), id_(o.id_) {}
    QuerySubscription& operator=(QuerySubscription&& o) noexcept;
    ~QuerySubscription();
    void unsubscribe();

private:
    friend class Database;
    QuerySubscription(std::shared_ptr<detail::EventHub> hub, std::size_t id) : hub_(std::move(hub)), id_(id) {}
    std::weak_ptr<detail::EventHub> hub_;
    std::size_t id_ = 0;
};

class Database : public QueryClient {
public:
    explicit Database(const std::string& url);
    explicit Database(const char* url) : Database(std::string(url)) {}
    explicit Database(DatabaseConfig config);
    ~Database() override;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Connection& connection();                       // the default connection
    Connection& connection(std::string_view name);  // unknown name -> lucid::ConnectionError

    QuerySubscription onQuery(std::function<void(const QueryEvent&)> listener);
    HealthReport report();  // every connection's health and pool counts (Lucid's db.report())

    Transaction transaction(const TransactionOptions& options) override { return default_->transaction(options); }
    using QueryClient::transaction;
    Result execute(const detail::Statement& statement) override { return default_->execute(statement); }
    void stream(const detail::Statement& statement, detail::RowSink& sink) override { default_->stream(statement, sink); }
    std::unique_ptr<detail::RowReader> read(const detail::Statement& statement) override;
    const detail::Dialect& dialect() const override;
    const std::string& connectionName() const override { return defaultName_; }
    Database& database() const override { return const_cast<Database&>(*this); }

private:
    friend class Connection;  // its statements report to events_
    std::string defaultName_;
    std::map<std::string, std::unique_ptr<Connection>, std::less<>> connections_;
    Connection* default_ = nullptr;
    std::shared_ptr<detail::EventHub> events_;
};

// The database models use unless told otherwise.
void useDatabase(Database& db);
Database& defaultDatabase();  // throws lucid::ConnectionError when none was set

}  // namespace lucid
