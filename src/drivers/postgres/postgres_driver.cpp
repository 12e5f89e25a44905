#include "database/driver.hpp"
#include "drivers/postgres/postgres_values.hpp"

#include <lucid/errors.hpp>

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <random>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <unordered_map>
#include <utility>

namespace lucid::detail {
namespace {

using namespace pg;  // Params, cell(), type OIDs

struct ResultGuard {
    PGresult* r;
    ~ResultGuard() { PQclear(r); }
};

// Cancels the running statement on the server once `limit` has passed, from a thread of its own (a
// timeout costs a thread only for the statements that ask for one).
class Watchdog {
public:
    Watchdog(PGconn* conn, std::chrono::milliseconds limit) : cancel_(PQgetCancel(conn)) {
        thread_ = std::thread([this, limit] {
            std::unique_lock lock(m_);
            if (cv_.wait_for(lock, limit, [this] { return done_; })) return;
            char error[256];
            fired_ = cancel_ && PQcancel(cancel_, error, sizeof error);
        });
    }
    ~Watchdog() { stop(); }
    // Ends the watch; true when it cancelled the statement.
    bool stop() {
        if (thread_.joinable()) {
            {
                std::lock_guard lock(m_);
                done_ = true;
            }
            cv_.notify_one();
            thread_.join();
            PQfreeCancel(cancel_);
            cancel_ = nullptr;
        }
        return fired_;
    }

private:
    PGcancel* cancel_;
    std::mutex m_;
    std::condition_variable cv_;
    bool done_ = false, fired_ = false;
    std::thread thread_;
};

class PostgresConnection final : public DriverConnection {
public:
    PostgresConnection(const std::string& conninfo, bool preparedStatements) : prepare_(preparedStatements) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
            while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
            PQfinish(conn_);
            throw ConnectionError("cannot connect to PostgreSQL at " + redactUrl(conninfo) + ": " + msg);
        }
        // Notices ("table does not exist, skipping" and kin) are dropped. An error that arrives while no
        // query runs is the server saying why it closes the connection (FATAL: terminating connection).
        PQsetNoticeReceiver(
            conn_,
            [](void* self, const PGresult* r) {
                const char* severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
                if (severity && (std::strcmp(severity, "FATAL") == 0 || std::strcmp(severity, "PANIC") == 0))
                    static_cast<PostgresConnection*>(self)->closing_ = true;
            },
            this);
        // DateTimes travel as UTC text; the session zone makes timestamptz come back in UTC (a pooler such as
        // PgBouncer tracks both settings per client and sets them on whichever server connection serves it).
        ResultGuard r{PQexec(conn_, "set time zone 'UTC'; set client_encoding to 'UTF8'; select pg_backend_pid()")};
        if (PQresultStatus(r.r) != PGRES_TUPLES_OK) {
            std::string msg = PQerrorMessage(conn_);
            PQfinish(conn_);
            throw ConnectionError("PostgreSQL session setup failed: " + msg);
        }
        // Behind a pooler the server process is not the one the connection was told of (PgBouncer makes up
        // the key it sends): a named statement could then meet another client's of the same name on a shared
        // server connection. There, every statement is an unnamed one.
        if (std::atoi(PQgetvalue(r.r, 0, 0)) != PQbackendPID(conn_)) prepare_ = false;
        // names that no other client makes: at worst "does not exist", never another client's statement
        std::snprintf(prefix_, sizeof prefix_, "lucid_%08x_", static_cast<unsigned>(std::random_device{}()));
    }
    ~PostgresConnection() override { PQfinish(conn_); }

    void setTimeout(std::chrono::milliseconds limit) override { limit_ = limit; }

    bool healthy() const override { return PQstatus(conn_) == CONNECTION_OK && !closing_; }

    // An idle connection has nothing to read. When it has, the server may be closing it (a terminated
    // backend, a shutdown): its FATAL message, or the end of the stream, shows it.
    bool alive() override {
        for (int reads = 0; reads < 4 && healthy(); ++reads) {
            pollfd p{PQsocket(conn_), POLLIN, 0};
            if (p.fd < 0) return false;
            if (poll(&p, 1, 0) == 0) return true;
            if (!PQconsumeInput(conn_)) return false;
            while (PGnotify* n = PQnotifies(conn_)) PQfreemem(n);
        }
        return healthy();
    }

    bool inTransaction() const override {
        auto s = PQtransactionStatus(conn_);
        return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
    }

    Result execute(const Statement& statement) override { return query(statement, nullptr); }
    void stream(const Statement& statement, RowSink& sink) override { query(statement, &sink); }

    // The error of a failed statement (`r` may be null): the connection's when the server or the network went
    // away under it, a QueryTimeout when the watchdog cancelled it.
    // `cancelledAfter`: the limit of the watchdog that cancelled the statement (0: none did).
    [[noreturn]] void fail(PGresult* r, const std::string& sql, const Bindings& bindings, std::chrono::milliseconds cancelledAfter) const {
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        if (!healthy()) throw ConnectionError("lost the connection to PostgreSQL: " + msg + "\n  sql: " + sql);
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        if (cancelledAfter.count() > 0 && state && std::strcmp(state, "57014") == 0)
            throw QueryTimeout("the statement ran past its timeout of " + std::to_string(cancelledAfter.count()) + " ms and was cancelled (" + msg + ")",
                               sql, bindingsToString(bindings), state);
        throw QueryError(msg, sql, bindingsToString(bindings), state ? state : "");
    }

    std::unique_ptr<RowReader> read(const Statement& statement) override { return std::make_unique<Reader>(*this, statement); }

    // libpq runs one statement at a time on a connection: none while a cursor reads.
    void checkIdle() const {
        if (reader_)
            throw Error("E_CURSOR_OPEN", "a cursor is still reading rows on this connection: end the loop over it before running "
                                         "another statement here (outside a transaction, each query takes a connection of its own)");
    }

    Result query(const Statement& statement, RowSink* sink) {
        const std::string& sql = statement.text();
        checkIdle();
        const Bindings& bindings = statement.bindings;
        const Params p = params(statement);
        const auto& [text, values, lengths, formats, types] = p;
        if (!healthy()) throw ConnectionError("the connection to PostgreSQL is closed; the statement was not sent: " + sql);
        std::optional<Watchdog> watchdog;
        if (limit_.count() > 0) watchdog.emplace(conn_, limit_);
        ResultGuard r{run(statement, types, values, lengths, formats)};
        const bool cancelled = watchdog && watchdog->stop();
        auto status = PQresultStatus(r.r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(r.r, sql, bindings, cancelled ? limit_ : std::chrono::milliseconds{0});
        // PostgreSQL answers the COMMIT of a failed transaction with ROLLBACK, as a success
        if (statement.commits && std::strcmp(PQcmdStatus(r.r), "ROLLBACK") == 0)
            throw QueryError("the server rolled the transaction back instead of committing it (a statement in it had failed)",
                             sql, "[]", "25P02");
        if (prepare_ && statement.changesSchema) forgetPrepared();  // plans made before a schema change may no longer fit
        auto data = std::make_shared<ResultData>();
        const int rows = PQntuples(r.r), cols = PQnfields(r.r);
        data->columns.reserve(static_cast<std::size_t>(cols));
        std::vector<Oid> oids(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) {
            data->columns.emplace_back(PQfname(r.r, c));
            oids[static_cast<std::size_t>(c)] = PQftype(r.r, c);
        }
        data->rows = static_cast<std::size_t>(rows);
        std::vector<std::string> decoded(static_cast<std::size_t>(cols));  // bytea cells, decoded from hex
        if (sink) {  // one row at a time: the rows are never all held as values
            sink->begin(data->columns, static_cast<std::size_t>(rows), 0);
            std::vector<Cell> buffer(static_cast<std::size_t>(cols));
            for (int row = 0; row < rows; ++row) {
                for (int c = 0; c < cols; ++c) {
                    const auto i = static_cast<std::size_t>(c);
                    buffer[i] = cell(r.r, row, c, oids[i], decoded[i]);
                }
                sink->row(buffer.data());
            }
            return Result();
        }
        data->cells.reserve(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
        for (int row = 0; row < rows; ++row)
            for (int c = 0; c < cols; ++c) {
                const auto i = static_cast<std::size_t>(c);
                data->cells.push_back(cell(r.r, row, c, oids[i], decoded[i]).value());
            }
        const char* affected = PQcmdTuples(r.r);
        data->rowsAffected = affected && *affected ? std::atoll(affected) : 0;
        return Result(std::move(data));
    }

private:
    // Outside a transaction, single-row mode: the server sends the rows as it finds them and libpq hands them
    // over one at a time; ended early, the statement is cancelled and its last results read, leaving the
    // connection idle. Inside one, where a cancel would abort the transaction and where the loop may run
    // statements of its own, a server cursor fetched `batch` rows at a time, closed at the end.
    // The statement's timeout runs from its start to its last row, the loop's time included (as the server's
    // statement_timeout would): a watchdog for the single statement, what is left of it for each FETCH, and
    // no reading from the server once it has passed.
    class Reader final : public RowReader {
    public:
        static constexpr int batch = 1000;

        Reader(PostgresConnection& c, const Statement& st)
            : c_(c), sql_(st.text()), bindings_(st.bindings), limit_(st.timeoutMs), deadline_(std::chrono::steady_clock::now() + limit_) {
            const Params p = params(st);
            c.checkIdle();
            if (!c.healthy()) throw ConnectionError("the connection to PostgreSQL is closed; the statement was not sent: " + sql_);
            const int n = static_cast<int>(p.values.size());
            if (PQtransactionStatus(c.conn_) == PQTRANS_IDLE) {
                if (!PQsendQueryParams(c.conn_, sql_.c_str(), n, p.types.data(), p.values.data(), p.lengths.data(), p.formats.data(), 0))
                    c.fail(nullptr, sql_, bindings_, {});
                c.reader_ = this;
                PQsetSingleRowMode(c.conn_);
                if (limit_.count() > 0) watch_.emplace(c.conn_, limit_);
            } else {
                cursor_ = std::string(c.prefix_) + "cursor_" + std::to_string(++c.counter_);
                const std::string declare = "declare " + cursor_ + " no scroll cursor for " + sql_;
                ResultGuard r{PQexecParams(c.conn_, declare.c_str(), n, p.types.data(), p.values.data(), p.lengths.data(), p.formats.data(), 0)};
                if (PQresultStatus(r.r) != PGRES_COMMAND_OK) c.fail(r.r, sql_, bindings_, {});
            }
            pull();  // the first rows, or the end: the columns or the statement's error are known from here
        }
        ~Reader() override {
            PQclear(r_);
            if (!cursor_.empty()) {
                ResultGuard r{PQexec(c_.conn_, ("close " + cursor_).c_str())};  // fails only in an aborted transaction: nothing to close
            } else if (c_.reader_ == this) {
                if (PGcancel* cancel = PQgetCancel(c_.conn_)) {
                    char error[256];
                    PQcancel(cancel, error, sizeof error);
                    PQfreeCancel(cancel);
                }
                finish();
            }
        }
        const std::vector<std::string>& columns() const override { return columns_; }
        const Cell* next() override {
            if (!fresh_ && ++row_ >= rows_) pull();
            fresh_ = false;
            if (!r_) return nullptr;
            for (std::size_t i = 0; i < cells_.size(); ++i) cells_[i] = cell(r_, row_, static_cast<int>(i), oids_[i], decoded_[i]);
            return cells_.data();
        }

    private:
        // The next rows into r_, or null at the end.
        void pull() {
            PQclear(std::exchange(r_, nullptr));
            row_ = rows_ = 0;
            if (cursor_.empty() ? c_.reader_ != this : done_) return;
            // rows asked of the server past the limit are refused, however long the loop took meanwhile
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
            if (limit_.count() > 0 && left.count() <= 0)
                throw QueryTimeout("the cursor's statement ran past its timeout of " + std::to_string(limit_.count()) + " ms", sql_,
                                   bindingsToString(bindings_), "57014");
            bool cancelled = false;
            if (cursor_.empty()) r_ = PQgetResult(c_.conn_);
            else {
                std::optional<Watchdog> fetchWatch;
                if (limit_.count() > 0) fetchWatch.emplace(c_.conn_, left);
                r_ = PQexec(c_.conn_, ("fetch forward " + std::to_string(batch) + " from " + cursor_).c_str());
                cancelled = fetchWatch && fetchWatch->stop();
            }
            const auto status = PQresultStatus(r_);
            if (r_ && columns_.empty()) {
                const int n = PQnfields(r_);
                for (int c = 0; c < n; ++c) {
                    columns_.emplace_back(PQfname(r_, c));
                    oids_.push_back(PQftype(r_, c));
                }
                cells_.resize(columns_.size());
                decoded_.resize(columns_.size());
            }
            if (r_ && (status == PGRES_SINGLE_TUPLE || status == PGRES_TUPLES_OK)) rows_ = PQntuples(r_);
            if (!cursor_.empty() && r_ && status == PGRES_TUPLES_OK) {
                done_ = rows_ < batch;  // a short batch is the last: no fetch that finds nothing
                if (rows_ == 0) PQclear(std::exchange(r_, nullptr));
                return;
            }
            if (r_ && status == PGRES_SINGLE_TUPLE) return;
            if (!r_ || status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
                PQclear(std::exchange(r_, nullptr));
                finish();
                return;
            }
            ResultGuard failed{std::exchange(r_, nullptr)};
            finish();
            if (watch_ && watch_->stop()) cancelled = true;
            c_.fail(failed.r, sql_, bindings_, cancelled ? limit_ : std::chrono::milliseconds{0});
        }
        // Reads what is left of the statement's results: the connection is then ready for another.
        void finish() noexcept {
            if (c_.reader_ != this) return;
            while (PGresult* rest = PQgetResult(c_.conn_)) PQclear(rest);
            if (watch_) watch_->stop();  // before the connection runs anything else: no cancel can reach that
            c_.reader_ = nullptr;
        }

        PostgresConnection& c_;
        std::string sql_;
        Bindings bindings_;
        std::chrono::milliseconds limit_;                     // the statement's timeout (0: none)
        std::chrono::steady_clock::time_point deadline_;      // its start + limit_
        std::optional<Watchdog> watch_;                        // single-row mode's, until the last result
        std::string cursor_;  // the server cursor's name, inside a transaction
        bool done_ = false;   // the server cursor gave its last rows
        bool fresh_ = true;   // r_'s first row is not handed out yet
        PGresult* r_ = nullptr;
        int row_ = 0, rows_ = 0;
        std::vector<std::string> columns_;
        std::vector<Oid> oids_;
        std::vector<Cell> cells_;
        std::vector<std::string> decoded_;  // bytea cells, decoded from hex
    };
    const Reader* reader_ = nullptr;  // the cursor reading rows on this connection

    // Statements that run again and again (model queries, saves, inserts) are prepared once per
    // connection and then only executed: the server skips parsing and planning. A plan that a schema
    // change invalidated ("cached plan must not change result type") is prepared again, once.
    PGresult* run(const Statement& statement, const std::vector<Oid>& types, const std::vector<const char*>& values,
                  const std::vector<int>& lengths, const std::vector<int>& formats) {
        const std::string& sql = statement.text();
        const int n = static_cast<int>(statement.bindings.size());
        const bool inTransaction = PQtransactionStatus(conn_) != PQTRANS_IDLE;
        if (!prepare_ || !preparable(statement, inTransaction))
            return PQexecParams(conn_, sql.c_str(), n, types.data(), values.data(), lengths.data(), formats.data(), 0);
        std::string key = sql;
        for (std::size_t i = 0; i < types.size(); ++i)
            if (types[i] == BYTEAOID) {
                key += '\x1f';
                key += std::to_string(i);
            }
        for (int attempt = 0;; ++attempt) {
            auto it = prepared_.find(key);
            if (it == prepared_.end()) {
                if (prepared_.size() >= 512)
                    return PQexecParams(conn_, sql.c_str(), n, types.data(), values.data(), lengths.data(), formats.data(), 0);
                std::string name = prefix_ + std::to_string(++counter_);
                PGresult* prep = PQprepare(conn_, name.c_str(), sql.c_str(), n, types.data());
                if (PQresultStatus(prep) != PGRES_COMMAND_OK) return prep;  // the statement's own error (syntax, missing table)
                PQclear(prep);
                it = prepared_.emplace(std::move(key), std::move(name)).first;
                key = it->first;
            }
            PGresult* r = PQexecPrepared(conn_, it->second.c_str(), n, values.data(), lengths.data(), formats.data(), 0);
            const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            const bool stale = state && (std::strcmp(state, "0A000") == 0 || std::strcmp(state, "26000") == 0);
            if (!stale) return r;
            prepared_.erase(it);  // re-prepared on next use
            if (attempt > 0 || inTransaction) return r;  // an aborted transaction cannot retry
            PQclear(r);
        }
    }

    // Prepared: DML that repeats (not preloads' key lists, marked by the compiler); inside a transaction only
    // statements whose result shape cannot change under them, since a failed statement there cannot be retried.
    static bool preparable(const Statement& statement, bool inTransaction) {
        return statement.preparable && (!inTransaction || statement.keepsShape());
    }
    void forgetPrepared() {
        if (prepared_.empty()) return;
        ResultGuard r{PQexec(conn_, "deallocate all")};
        prepared_.clear();
    }

    std::unordered_map<std::string, std::string> prepared_;  // SQL (+ blob positions) -> statement name
    uint64_t counter_ = 0;
    bool prepare_;        // named statements (off for a pooler)
    char prefix_[16]{};   // "lucid_<random>_": this connection's statement names

    PGconn* conn_ = nullptr;
    std::chrono::milliseconds limit_{0};  // setTimeout()
    bool closing_ = false;  // the server announced that it closes this connection
};

}  // namespace

std::unique_ptr<DriverConnection> openPostgres(const std::string& conninfo, bool preparedStatements) {
    return std::make_unique<PostgresConnection>(conninfo, preparedStatements);
}

}  // namespace lucid::detail
