// The transaction handles: commit, rollback, savepoints and after-commit/rollback callbacks, over the
// state they share (TransactionCore).
#include <lucid/errors.hpp>
#include <lucid/transaction.hpp>

#include "database/connection_core.hpp"
#include "database/transaction_core.hpp"
#include "sql/dialect.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

namespace lucid {

namespace detail {
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

void runAroundTransaction(Transaction& trx, const std::vector<std::string>& before, std::vector<std::string> after) {
    TransactionCore& core = *trx.transactionCore();
    if (!core.savepoint.empty() || !core.lease) throw Error("E_RUNTIME_EXCEPTION", "runAroundTransaction needs an outermost open transaction");
    auto run = [&](const std::string& sql) { runStatement(*core.connection, **core.lease, Statement{.sql = sql, .preparable = false}, false); };
    run("commit");
    for (const auto& sql : before) run(sql);
    run(core.connection->connection.dialect().beginTransactionSql(std::nullopt));
    core.onEnd = std::move(after);
}

}  // namespace detail

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

// Runs the outermost transaction's onEnd statements when it goes, whether its COMMIT/ROLLBACK worked or not.
// They restore settings (foreign_keys on): failing to is as unlikely as it is beyond repair here, and must
// not turn a commit that happened into an error.
struct EndStatements {
    detail::TransactionCore& root;
    detail::DriverConnection& driver;
    ~EndStatements() {
        for (const auto& sql : std::exchange(root.onEnd, {})) {
            try {
                detail::runStatement(*root.connection, driver, detail::Statement{.sql = sql, .preparable = false}, false);
            } catch (...) {
            }
        }
    }
};
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
        finish(sql, core_->savepoint.empty());
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
            { EndStatements end{root, root.driver()}; }
            root.lease.reset();
            return;
        }
        finish("rollback", false);
        return;
    }
    finish("rollback to savepoint " + core_->savepoint, false);
    root.failure.clear();  // every failure since the savepoint was made is undone with it
}

// Runs COMMIT/ROLLBACK (`commits`: the outermost COMMIT); the outermost transaction then gives its
// connection back to the pool.
void Transaction::finish(const std::string& sql, bool commits) {
    detail::TransactionCore& root = core_->root();
    const detail::Statement st{.sql = sql, .preparable = false, .commits = commits};
    if (!core_->savepoint.empty()) {
        recorded(root, [&](detail::ConnectionCore& c, detail::DriverConnection& d) { detail::runStatement(c, d, st, true); });
        return;
    }
    std::unique_ptr<detail::Pool::Lease> lease = std::move(root.lease);  // returned to the pool after the statement
    EndStatements end{root, **lease};
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
    const detail::Statement st{.sql = "savepoint " + sp->savepoint, .preparable = false};
    guarded(*sp, st, [&](detail::ConnectionCore& c, detail::DriverConnection& d) { detail::runStatement(c, d, st, true); });
    return Transaction(std::move(sp), true);
}

Result Transaction::execute(const detail::Statement& st) {
    ensureOpen(core_.get());
    return guarded(*core_, st, [&](detail::ConnectionCore& c, detail::DriverConnection& d) { return detail::runStatement(c, d, st, true); });
}
void Transaction::stream(const detail::Statement& st, detail::RowSink& sink) {
    ensureOpen(core_.get());
    guarded(*core_, st, [&](detail::ConnectionCore& c, detail::DriverConnection& d) { detail::streamStatement(c, d, st, true, sink); });
}
std::unique_ptr<detail::RowReader> Transaction::read(const detail::Statement& st) {
    ensureOpen(core_.get());
    return guarded(*core_, st, [&](detail::ConnectionCore& c, detail::DriverConnection& d) { return detail::readStatement(c, d, st, true); });
}
const detail::Dialect& Transaction::dialect() const { return core_->connection->connection.dialect(); }
const std::string& Transaction::connectionName() const { return core_->connection->connection.connectionName(); }
Database& Transaction::database() const { return core_->connection->connection.database(); }

}  // namespace lucid
