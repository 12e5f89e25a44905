#include <lucid/database.hpp>
#include <lucid/query.hpp>
#include <lucid/schema.hpp>

#include "database/events.hpp"
#include "database/transaction_core.hpp"
#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <type_traits>

namespace lucid {
namespace detail {

namespace {
// "pgbouncer=true" is lucid's, not libpq's (which refuses query parameters it does not know): taken out.
ParsedUrl withoutPgbouncerOption(ParsedUrl p) {
    const auto query = p.target.find('?');
    if (query == std::string::npos) return p;
    std::string kept;
    bool found = false;
    std::size_t at = query + 1;
    while (at <= p.target.size()) {
        std::size_t end = p.target.find('&', at);
        if (end == std::string::npos) end = p.target.size();
        const std::string param = p.target.substr(at, end - at);
        if (param.rfind("pgbouncer=", 0) == 0) {
            found = true;
            const std::string v = param.substr(10);
            if (v != "true" && v != "false" && v != "1" && v != "0")
                // the value is not repeated: a malformed URL may have put a password there
                throw ConnectionError("the pgbouncer parameter of a PostgreSQL URL takes true or false (or 1 or 0)");
            p.preparedStatements = v == "false" || v == "0";
        } else if (!param.empty()) {
            kept += (kept.empty() ? "" : "&") + param;
        }
        at = end + 1;
    }
    if (found) p.target = p.target.substr(0, query) + (kept.empty() ? "" : "?" + kept);  // else libpq gets it as written
    return p;
}
}  // namespace

ParsedUrl parseUrl(const std::string& url) {
    // C APIs would stop reading at the NUL and open (or create) another file or database than the one named
    if (auto nul = url.find('\0'); nul != std::string::npos)
        throw ConnectionError("a database URL cannot contain a NUL byte (found at position " + std::to_string(nul) + ")");
    if (url.rfind("sqlite:", 0) == 0) {
        std::string target = url.substr(7);
        if (target.rfind("//", 0) == 0) target = target.substr(2);
        if (target.empty()) throw ConnectionError("the SQLite URL \"" + url + "\" names no file: use sqlite:path or sqlite::memory:");
        bool memory = target == ":memory:";
        return ParsedUrl{ParsedUrl::Kind::Sqlite, target, memory};
    }
    if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
        if (url.find('@') == std::string::npos && url.find('/', url.find("//") + 2) == std::string::npos &&
            url.size() <= std::string("postgresql://").size())
            throw ConnectionError("the PostgreSQL URL \"" + redactUrl(url) + "\" names no host");
        return withoutPgbouncerOption(ParsedUrl{ParsedUrl::Kind::Postgres, url, false});
    }
    throw ConnectionError("unsupported database URL \"" + redactUrl(url) +
                          "\": use sqlite::memory:, sqlite:path or postgres://user:password@host:port/database");
}

std::string redactUrl(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

const Dialect& dialectFor(ParsedUrl::Kind kind) {
    return kind == ParsedUrl::Kind::Sqlite ? sqliteDialect() : postgresDialect();
}

std::size_t EventHub::add(Listener l) {
    std::lock_guard lock(m);
    auto next = std::make_shared<std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>>(*listeners);
    std::size_t id = nextId++;
    next->emplace_back(id, std::make_shared<Listener>(std::move(l)));
    listeners = std::move(next);
    any = true;
    return id;
}

void EventHub::remove(std::size_t id) {
    std::lock_guard lock(m);
    auto next = std::make_shared<std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>>(*listeners);
    std::erase_if(*next, [id](const auto& p) { return p.first == id; });
    any = !next->empty();
    listeners = std::move(next);
}

void EventHub::emit(const QueryEvent& e) {
    std::shared_ptr<const std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>> snapshot;
    {
        std::lock_guard lock(m);
        snapshot = listeners;
    }
    for (const auto& [id, l] : *snapshot) (*l)(e);
}

void feed(const Result& r, RowSink& sink) {
    sink.begin(r.columns(), r.size(), 0);
    const ResultData& d = r.data();
    std::vector<Cell> cells(d.columns.size());
    for (std::size_t i = 0; i < d.rows; ++i) {
        for (std::size_t c = 0; c < cells.size(); ++c) cells[c] = Cell::of(d.cells[i * cells.size() + c]);
        sink.row(cells.data());
    }
}

void DriverConnection::stream(const std::string& sql, const Bindings& bindings, RowSink& sink) {
    feed(execute(sql, bindings), sink);
}

namespace {
// run(), timed and told to the listeners (when there are any), failed or not.
template <class Run> auto observed(Connection& connection, const Statement& st, bool inTransaction, Run run) {
    EventHub& hub = connection.database().events();
    const bool listen = hub.any.load(std::memory_order_relaxed);
    const auto start = listen ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    auto tell = [&](bool failed) {
        if (!listen) return;
        hub.emit(QueryEvent{connection.connectionName(), st.text(), st.bindings, std::chrono::steady_clock::now() - start,
                            inTransaction, st.model, failed});
    };
    try {
        if constexpr (std::is_void_v<decltype(run())>) {
            run();
            tell(false);
        } else {
            auto r = run();
            tell(false);
            return r;
        }
    } catch (...) {
        tell(true);
        throw;
    }
}
}  // namespace

namespace {
// run() under the statement's timeout, which ends with it.
template <class Run> auto limited(DriverConnection& driver, const Statement& st, Run run) {
    if (st.timeoutMs <= 0) return run();
    struct Reset {
        DriverConnection& d;
        ~Reset() { d.setTimeout(std::chrono::milliseconds{0}); }
    } reset{driver};
    driver.setTimeout(std::chrono::milliseconds{st.timeoutMs});
    return run();
}
}  // namespace

Result runStatement(Connection& connection, DriverConnection& driver, const Statement& st, bool inTransaction) {
    return observed(connection, st, inTransaction, [&] { return limited(driver, st, [&] { return driver.execute(st.text(), st.bindings); }); });
}

void streamStatement(Connection& connection, DriverConnection& driver, const Statement& st, bool inTransaction, RowSink& sink) {
    observed(connection, st, inTransaction, [&] { limited(driver, st, [&] { driver.stream(st.text(), st.bindings, sink); }); });
}

TransactionCore& TransactionCore::root() {
    TransactionCore* r = this;
    while (r->parent) r = r->parent.get();
    return *r;
}

DriverConnection& TransactionCore::driver() { return **root().lease; }

bool TransactionCore::isOpen() const {
    for (const TransactionCore* t = this; t; t = t->parent.get())
        if (t->completed) return false;
    return true;
}

}  // namespace detail

// ---- Connection ----

namespace {
std::unique_ptr<detail::Pool> makePool(const std::string& name, const std::string& url, PoolOptions options, bool prepared) {
    detail::ParsedUrl parsed = detail::parseUrl(url);
    if (parsed.kind == detail::ParsedUrl::Kind::Sqlite) {
        // An in-memory database lives in its one connection: every query shares it.
        if (parsed.memory) options.max = 1, options.min = std::min(options.min, 1);
        return std::make_unique<detail::Pool>(name, [target = parsed.target] { return detail::openSqlite(target); }, options);
    }
    return std::make_unique<detail::Pool>(
        name, [target = parsed.target, prepared = prepared && parsed.preparedStatements] { return detail::openPostgres(target, prepared); },
        options);
}
}  // namespace

Connection::Connection(Database& db, std::string name, const ConnectionConfig& config)
    : db_(db), name_(std::move(name)), dialect_(&detail::dialectFor(detail::parseUrl(config.url).kind)), debug_(config.debug) {
    write_ = makePool(name_, config.url, config.pool, config.preparedStatements);
    for (const auto& replica : config.readReplicas) {
        if (&detail::dialectFor(detail::parseUrl(replica).kind) != dialect_)
            throw ConnectionError("read replica \"" + detail::redactUrl(replica) + "\" of \"" + name_ +
                                  "\" is not the same kind of database as its primary");
        replicas_.push_back(makePool(name_ + " (read)", replica, config.pool, config.preparedStatements));
    }
}

Connection::~Connection() = default;

detail::Pool& Connection::poolFor(const detail::Statement& st) {
    if (debug_) std::cerr << "[lucid:" << name_ << "] " << st.text() << ' ' << bindingsToString(st.bindings) << '\n';
    if (st.read && !replicas_.empty()) {
        static std::atomic<std::size_t> counter{0};
        return *replicas_[counter++ % replicas_.size()];
    }
    return *write_;
}

namespace {
// Runs `run` on a pooled connection. A read that lost its connection (the server went away after the
// pool checked it) runs once more on a fresh one: running a SELECT twice changes nothing. Writes never
// run twice, since whether the server carried them out is unknown.
template <class Run, class Retryable> auto onPooled(detail::Pool& pool, Run run, Retryable retryable) {
    for (int attempt = 0;; ++attempt) {
        auto lease = pool.acquire();
        try {
            return run(*lease);
        } catch (const ConnectionError&) {
            if (attempt > 0 || !retryable()) throw;
        }
    }
}
}  // namespace

Result Connection::execute(const detail::Statement& st) {
    return onPooled(poolFor(st), [&](detail::DriverConnection& c) { return detail::runStatement(*this, c, st, false); },
                    [&] { return st.read; });
}

void Connection::stream(const detail::Statement& st, detail::RowSink& sink) {
    // rows already handed to the sink cannot be taken back: only a read that delivered none runs again
    struct Watched final : detail::RowSink {
        detail::RowSink& to;
        bool started = false;
        explicit Watched(detail::RowSink& s) : to(s) {}
        void begin(const std::vector<std::string>& columns, std::size_t rows, uint64_t shape) override {
            started = true;
            to.begin(columns, rows, shape);
        }
        void row(const detail::Cell* cells) override { to.row(cells); }
    } watched(sink);
    onPooled(poolFor(st), [&](detail::DriverConnection& c) { detail::streamStatement(*this, c, st, false, watched); },
             [&] { return st.read && !watched.started; });
}

Transaction QueryClient::transaction() { return transaction(TransactionOptions{}); }

Transaction Connection::transaction(const TransactionOptions& options) {
    auto core = std::make_shared<detail::TransactionCore>();
    core->connection = this;
    core->lease = std::make_unique<detail::Pool::Lease>(write_->acquire());
    detail::runStatement(*this, **core->lease, detail::Statement{.sql = dialect_->beginTransactionSql(options.isolationLevel)}, true);
    return Transaction(std::move(core), true);
}

// ---- Database ----

QuerySubscription& QuerySubscription::operator=(QuerySubscription&& o) noexcept {
    if (this != &o) {
        unsubscribe();
        hub_ = std::move(o.hub_);
        id_ = o.id_;
    }
    return *this;
}
QuerySubscription::~QuerySubscription() { unsubscribe(); }
void QuerySubscription::unsubscribe() {
    if (auto hub = hub_.lock()) hub->remove(id_);
    hub_.reset();
}

Database::Database(const std::string& url)
    : Database(DatabaseConfig{.connection = "primary", .connections = {{"primary", ConnectionConfig{.url = url}}}}) {}

Database::Database(DatabaseConfig config) : defaultName_(config.connection), events_(std::make_shared<detail::EventHub>()) {
    if (config.connections.empty()) throw ConnectionError("DatabaseConfig has no connections");
    if (defaultName_.empty()) {
        if (config.connections.size() != 1)
            throw ConnectionError("DatabaseConfig.connection must name the default of its " +
                                  std::to_string(config.connections.size()) + " connections");
        defaultName_ = config.connections.begin()->first;
    }
    if (!config.connections.count(defaultName_))
        throw ConnectionError("DatabaseConfig.connection names \"" + defaultName_ + "\", which is not among its connections");
    for (auto& [name, cc] : config.connections) connections_.emplace(name, std::make_unique<Connection>(*this, name, cc));
    default_ = connections_.find(defaultName_)->second.get();
}

namespace {
std::atomic<Database*> g_default{nullptr};
}

// A destroyed database stops being the default, so models fail clearly instead of dangling.
Database::~Database() {
    Database* self = this;
    g_default.compare_exchange_strong(self, nullptr);
}

Connection& Database::connection() { return *default_; }

Connection& Database::connection(std::string_view name) {
    auto it = connections_.find(name);
    if (it == connections_.end()) throw ConnectionError("unknown connection \"" + std::string(name) + "\"");
    return *it->second;
}

const detail::Dialect& Database::dialect() const { return default_->dialect(); }

QuerySubscription Database::onQuery(std::function<void(const QueryEvent&)> listener) {
    return QuerySubscription(events_, events_->add(std::move(listener)));
}

void useDatabase(Database& db) { g_default = &db; }
Database& defaultDatabase() {
    Database* db = g_default.load();
    if (!db) throw ConnectionError("no database: call lucid::useDatabase(db) first, or pass a QueryClient");
    return *db;
}

// ---- Transaction ----

Transaction::Transaction(std::shared_ptr<detail::TransactionCore> core, bool owner) : core_(std::move(core)), owner_(owner) {}
Transaction::Transaction(Transaction&& o) noexcept : core_(std::move(o.core_)), owner_(o.owner_) { o.owner_ = false; }
Transaction& Transaction::operator=(Transaction&& o) noexcept {
    if (this != &o) {
        if (owner_ && core_ && !core_->completed) {
            try { rollback(); } catch (...) {}
        }
        core_ = std::move(o.core_);
        owner_ = o.owner_;
        o.owner_ = false;
    }
    return *this;
}
Transaction::~Transaction() {
    if (owner_ && core_ && core_->isOpen()) {
        try { rollback(); } catch (...) {}
    }
}

namespace {
void ensureOpen(const detail::TransactionCore* core) {
    if (!core || !core->isOpen())
        throw Error("E_TRANSACTION_COMPLETED", "the transaction is already committed or rolled back");
}

[[noreturn]] void throwLost(const std::string& what) {
    throw ConnectionError("the connection of this transaction was lost: the server rolled the transaction back, "
                          "nothing of it was committed (" + what + ")");
}

// Runs a statement on the transaction's connection, keeping the outermost transaction's account of
// what went wrong: a failed statement, or a lost connection (which ends the transaction at once).
template <class Run> auto recorded(detail::TransactionCore& root, Run run) {
    try {
        return run(*root.connection, root.driver());
    } catch (const QueryError& e) {
        root.failure = e.driverMessage();
        throw;
    } catch (const ConnectionError& e) {
        root.lost = true;
        root.failure = e.what();
        root.lease.reset();  // the broken connection leaves the pool now, not when the handles go
        throw;
    }
}

// The same for the statements of the application: once a statement failed, nothing more runs until a
// rollback (PostgreSQL's rule, which lucid applies to SQLite too).
template <class Run> auto guarded(detail::TransactionCore& core, const detail::Statement& st, Run run) {
    detail::TransactionCore& root = core.root();
    if (root.lost) throwLost("no statement can run in it any more");
    if (!root.failure.empty())
        throw QueryError("the transaction is aborted: a statement in it failed (" + root.failure +
                             "); roll back the transaction, or the savepoint that holds the failed statement, first",
                         st.text(), bindingsToString(st.bindings), "25P02");
    return recorded(root, run);
}
}  // namespace

// A commit that cannot be carried out rolls back instead and throws: it never reports success.
void Transaction::commit() {
    ensureOpen(core_.get());
    detail::TransactionCore& root = core_->root();
    if (root.lost) {
        core_->completed = true;
        settle(false);  // the server rolled it back when the connection went
        throwLost("the commit was refused");
    }
    if (!root.failure.empty()) {
        const std::string failure = root.failure;
        rollback();  // a failed rollback keeps its own error: the transaction is over either way
        throw QueryError("the " + std::string(core_->savepoint.empty() ? "transaction" : "savepoint") +
                             " was rolled back instead of committed: a statement in it failed (" + failure + ")",
                         core_->savepoint.empty() ? "commit" : "release savepoint " + core_->savepoint, "[]", "25P02");
    }
    std::string sql = core_->savepoint.empty() ? "commit" : "release savepoint " + core_->savepoint;
    core_->completed = true;  // a failed COMMIT still ends the transaction (the server rolled it back)
    try {
        finish(sql);
    } catch (const ConnectionError& e) {
        if (!core_->savepoint.empty()) throw;
        root.after.clear();  // neither committed nor rolled back, as far as anyone can tell
        throw ConnectionError(std::string("the connection was lost during COMMIT: whether the transaction was committed "
                                          "is unknown (") + e.what() + ")");
    } catch (const QueryError&) {
        if (core_->savepoint.empty()) settle(false);  // the server answered COMMIT by rolling back
        throw;
    }
    if (core_->savepoint.empty()) settle(true);  // a savepoint's callbacks wait for the outermost commit
}

void Transaction::after(std::string_view event, std::function<void()> fn) {
    if (event != "commit" && event != "rollback")
        throw Error("E_INVALID_EVENT", "after() takes \"commit\" or \"rollback\", not \"" + std::string(event) + "\"");
    ensureOpen(core_.get());
    std::vector<std::string> within;
    for (const detail::TransactionCore* t = core_.get(); t && !t->savepoint.empty(); t = t->parent.get()) within.push_back(t->savepoint);
    core_->root().after.push_back({event == "commit", std::move(within), std::move(fn)});
}

// The callbacks of this level and those inside it: run the ones of what happened, drop the others.
// All of them run; the first exception a callback throws comes out after the last one.
void Transaction::settle(bool committed) {
    detail::TransactionCore& root = core_->root();
    std::vector<std::function<void()>> due;
    std::erase_if(root.after, [&](detail::TransactionCore::After& a) {
        const bool mine = core_->savepoint.empty() || std::find(a.within.begin(), a.within.end(), core_->savepoint) != a.within.end();
        if (mine && a.onCommit == committed) due.push_back(std::move(a.fn));
        return mine;
    });
    std::exception_ptr first;
    for (auto& fn : due) {
        try {
            fn();
        } catch (...) {
            if (!first) first = std::current_exception();
        }
    }
    if (first) std::rethrow_exception(first);
}

void Transaction::rollback() {
    ensureOpen(core_.get());
    core_->completed = true;
    try {
        undo();
    } catch (...) {
        settle(false);  // the database rolled back whatever the failed statement says
        throw;
    }
    settle(false);
}

void Transaction::undo() {
    detail::TransactionCore& root = core_->root();
    if (root.lost) return;  // the server already rolled everything back when the connection went
    if (core_->savepoint.empty()) {
        // the server may have ended the transaction by itself (SQLite on a full disk): then nothing is left to undo
        if (!root.driver().inTransaction()) {
            root.lease.reset();
            return;
        }
        finish("rollback");
        return;
    }
    finish("rollback to savepoint " + core_->savepoint);
    root.failure.clear();  // every failure since the savepoint was made is undone with it
}

// Runs COMMIT/ROLLBACK; the outermost transaction then gives its connection back to the pool.
void Transaction::finish(const std::string& sql) {
    detail::TransactionCore& root = core_->root();
    const detail::Statement st{.sql = sql};
    if (!core_->savepoint.empty()) {
        recorded(root, [&](Connection& c, detail::DriverConnection& d) { detail::runStatement(c, d, st, true); });
        return;
    }
    std::unique_ptr<detail::Pool::Lease> lease = std::move(root.lease);  // returned to the pool after the statement
    detail::runStatement(*core_->connection, **lease, st, true);
}

bool Transaction::isCompleted() const { return !core_ || !core_->isOpen(); }

Transaction Transaction::transaction(const TransactionOptions& options) {
    ensureOpen(core_.get());
    if (options.isolationLevel)
        throw Error("E_UNSUPPORTED", "a savepoint runs at the isolation level of its transaction: give the level to the outermost transaction");
    auto sp = std::make_shared<detail::TransactionCore>();
    sp->connection = core_->connection;
    sp->parent = core_;
    // numbered across the whole transaction: a name reused at another level would make ROLLBACK TO
    // and RELEASE reach the wrong savepoint
    sp->savepoint = "lucid_sp_" + std::to_string(++core_->root().savepoints);
    const detail::Statement st{.sql = "savepoint " + sp->savepoint};
    guarded(*sp, st, [&](Connection& c, detail::DriverConnection& d) { detail::runStatement(c, d, st, true); });
    return Transaction(std::move(sp), true);
}

Result Transaction::execute(const detail::Statement& st) {
    ensureOpen(core_.get());
    return guarded(*core_, st, [&](Connection& c, detail::DriverConnection& d) { return detail::runStatement(c, d, st, true); });
}
void Transaction::stream(const detail::Statement& st, detail::RowSink& sink) {
    ensureOpen(core_.get());
    guarded(*core_, st, [&](Connection& c, detail::DriverConnection& d) { detail::streamStatement(c, d, st, true, sink); });
}
const detail::Dialect& Transaction::dialect() const { return core_->connection->dialect(); }
const std::string& Transaction::connectionName() const { return core_->connection->connectionName(); }
Database& Transaction::database() const { return core_->connection->database(); }

// ---- QueryClient conveniences ----

void QueryClient::stream(const detail::Statement& st, detail::RowSink& sink) { detail::feed(execute(st), sink); }

Result QueryClient::rawQuery(std::string_view sql, const Bindings& bindings) {
    return execute(detail::compileRaw(sql, bindings, dialect()));
}
QueryBuilder QueryClient::from(std::string_view table) { return QueryBuilder(this, std::string(table)); }
QueryBuilder QueryClient::table(std::string_view table) { return QueryBuilder(this, std::string(table)); }
QueryBuilder QueryClient::query() { return QueryBuilder(this); }
Schema QueryClient::schema() { return Schema(*this); }

void QueryClient::truncate(std::string_view table, bool cascade) {
    Schema s(*this);
    const auto statements = dialect().truncate(table, cascade, [&](const std::string& t) { return s.hasTable(t); });
    auto run = [&](QueryClient& c) {
        for (const auto& st : statements) c.execute(st);
    };
    if (statements.size() == 1) return run(*this);
    transaction([&](Transaction& trx) { run(trx); });
}

}  // namespace lucid
