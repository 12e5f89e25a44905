// A named connection: its pools (the primary's, the read replicas'), where each statement goes, and
// the transactions it begins.
#include <lucid/database.hpp>
#include <lucid/transaction.hpp>

#include "database/connection_core.hpp"
#include "database/transaction_core.hpp"
#include "sql/dialect.hpp"

#include <algorithm>
#include <iostream>

namespace lucid {

namespace detail {
const Dialect& dialectFor(ParsedUrl::Kind kind) {
    return kind == ParsedUrl::Kind::Sqlite ? sqliteDialect() : postgresDialect();
}
}  // namespace detail

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
    : db_(db), name_(std::move(name)), dialect_(&detail::dialectFor(detail::parseUrl(config.url).kind)),
      core_(std::make_unique<detail::ConnectionCore>(detail::ConnectionCore{.connection = *this, .events = *db.events_})) {
    core_->debug = config.debug;
    core_->primary = makePool(name_, config.url, config.pool, config.preparedStatements);
    core_->reads = std::make_unique<detail::ReadRouting>(name_, config.stickyFor, config.replicaRetryAfter);
    for (const auto& replica : config.readReplicas) {
        if (&detail::dialectFor(detail::parseUrl(replica).kind) != dialect_)
            throw ConnectionError("read replica \"" + detail::redactUrl(replica) + "\" of \"" + name_ +
                                  "\" is not the same kind of database as its primary");
        core_->reads->addReplica("\"" + detail::redactUrl(replica) + "\"", [this, replica, pool = config.pool, prepared = config.preparedStatements] {
            return makePool(name_ + " (read)", replica, pool, prepared);
        });
    }
}

Connection::~Connection() = default;

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

// A read (a SELECT outside a transaction) goes to a read replica; one that cannot serve it (down,
// unreachable: a ConnectionError) is left out for a while and the read runs on the primary, unless it
// already handed out rows. A replica whose pool is only busy runs this read on the primary and stays in
// the rotation. Any other error is the answer, from wherever it came.
template <class Run, class Retryable>
auto routed(detail::ConnectionCore& core, const detail::Statement& st, Run run, Retryable retryable) {
    if (core.debug) std::cerr << "[lucid:" << core.connection.connectionName() << "] " << st.text() << ' ' << bindingsToString(st.bindings) << '\n';
    if (st.read)
        while (detail::Pool* replica = core.reads->replica()) {
            try {
                return onPooled(*replica, run, retryable);
            } catch (const detail::PoolBusy&) {
                break;  // the replica is up, only busy: this read goes to the primary, the next ones to it again
            } catch (const ConnectionError& e) {
                core.reads->failed(*replica, e.what());
                if (!retryable()) throw;
            }
        }
    return onPooled(*core.primary, run, retryable);
}
}  // namespace

Result Connection::execute(const detail::Statement& st) {
    return routed(*core_, st, [&](detail::DriverConnection& c) { return detail::runStatement(*core_, c, st, false); },
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
    routed(*core_, st, [&](detail::DriverConnection& c) { detail::streamStatement(*core_, c, st, false, watched); },
           [&] { return st.read && !watched.started; });
}

// Routed as execute() is, up to the statement's start: once rows are pulled, a failure is the answer.
std::unique_ptr<detail::RowReader> Connection::read(const detail::Statement& st) {
    if (core_->debug) std::cerr << "[lucid:" << name_ << "] " << st.text() << ' ' << bindingsToString(st.bindings) << '\n';
    auto open = [&](detail::Pool& pool) {
        auto lease = std::make_unique<detail::Pool::Lease>(pool.acquire());
        auto reader = detail::readStatement(*core_, **lease, st, false);
        return detail::leased(std::move(lease), std::move(reader));
    };
    if (st.read)
        while (detail::Pool* replica = core_->reads->replica()) {
            try {
                return open(*replica);
            } catch (const detail::PoolBusy&) {
                break;  // up, only busy
            } catch (const ConnectionError& e) {
                core_->reads->failed(*replica, e.what());
            }
        }
    return open(*core_->primary);
}

Transaction QueryClient::transaction() { return transaction(TransactionOptions{}); }

Transaction Connection::transaction(const TransactionOptions& options) {
    auto core = std::make_shared<detail::TransactionCore>();
    core->connection = core_.get();
    core->lease = std::make_unique<detail::Pool::Lease>(core_->primary->acquire());
    const detail::Statement begin{.sql = dialect_->beginTransactionSql(options.isolationLevel), .preparable = false};
    detail::runStatement(*core_, **core->lease, begin, true);
    return Transaction(std::move(core), true);
}

}  // namespace lucid
