#include "database/driver.hpp"

#include <lucid/errors.hpp>

#include <libpq-fe.h>
#include <poll.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <random>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <unordered_map>
#include <utility>

namespace lucid::detail {
namespace {

// Type OIDs from pg_type.h (server headers are not part of libpq-dev).
enum : Oid { BOOLOID = 16, BYTEAOID = 17, INT8OID = 20, INT2OID = 21, INT4OID = 23, OIDOID = 26,
             FLOAT4OID = 700, FLOAT8OID = 701, NUMERICOID = 1700 };

struct ResultGuard {
    PGresult* r;
    ~ResultGuard() { PQclear(r); }
};

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

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

    // A statement's bindings as libpq takes them: text, except blobs (binary bytea).
    struct Params {
        std::vector<std::string> text;
        std::vector<const char*> values;
        std::vector<int> lengths, formats;
        std::vector<Oid> types;
    };
    static Params params(const Statement& statement) {
        const std::string& sql = statement.text();
        const Bindings& bindings = statement.bindings;
        const std::size_t n = bindings.size();
        if (n > 65535)
            throw QueryError("PostgreSQL accepts at most 65535 bindings, got " + std::to_string(n), sql, "[...]");
        Params p{std::vector<std::string>(n), std::vector<const char*>(n), std::vector<int>(n), std::vector<int>(n), std::vector<Oid>(n)};
        auto& [text, values, lengths, formats, types] = p;
        for (std::size_t i = 0; i < n; ++i) {
            const Value& v = bindings[i];
            switch (v.kind()) {
            case Value::Kind::Null: values[i] = nullptr; break;
            case Value::Kind::Bool: values[i] = std::get<bool>(v.storage()) ? "t" : "f"; break;
            case Value::Kind::Int: text[i] = std::to_string(std::get<int64_t>(v.storage())); values[i] = text[i].c_str(); break;
            case Value::Kind::Double: {
                double d = std::get<double>(v.storage());
                if (std::isnan(d)) text[i] = "NaN";
                else if (std::isinf(d)) text[i] = d > 0 ? "Infinity" : "-Infinity";
                else text[i] = v.toDebugString();
                values[i] = text[i].c_str();
                break;
            }
            case Value::Kind::Text: {
                const auto& s = std::get<std::string>(v.storage());
                if (std::memchr(s.data(), '\0', s.size()))
                    throw QueryError("PostgreSQL text cannot hold a NUL byte (binding " + std::to_string(i + 1) +
                                         "); store such data in a Blob (bytea) column",
                                     sql, bindingsToString(bindings));
                values[i] = s.c_str();
                break;
            }
            case Value::Kind::Blob: {
                const auto& b = std::get<Blob>(v.storage());
                values[i] = b.empty() ? "" : reinterpret_cast<const char*>(b.data());
                lengths[i] = static_cast<int>(b.size());
                formats[i] = 1;
                types[i] = BYTEAOID;
                break;
            }
            }
        }
        return p;
    }

    // The error of a failed statement (`r` may be null): the connection's when the server or the network went
    // away under it, a QueryTimeout when the watchdog cancelled it.
    [[noreturn]] void fail(PGresult* r, const std::string& sql, const Bindings& bindings, bool cancelled) const {
        std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        if (!healthy()) throw ConnectionError("lost the connection to PostgreSQL: " + msg + "\n  sql: " + sql);
        const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
        if (cancelled && state && std::strcmp(state, "57014") == 0)
            throw QueryTimeout("the statement ran past its timeout of " + std::to_string(limit_.count()) + " ms and was cancelled (" + msg + ")",
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
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail(r.r, sql, bindings, cancelled);
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
    // Single-row mode: the server sends the rows as it finds them and libpq hands them over one at a time, so
    // one row is held whatever the size of the result. Ended early, the statement is cancelled (outside a
    // transaction, where a cancel loses nothing) and its last results read, leaving the connection idle.
    class Reader final : public RowReader {
    public:
        Reader(PostgresConnection& c, const Statement& st) : c_(c), sql_(st.text()), bindings_(st.bindings) {
            const Params p = params(st);
            c.checkIdle();
            if (!c.healthy()) throw ConnectionError("the connection to PostgreSQL is closed; the statement was not sent: " + sql_);
            inTransaction_ = PQtransactionStatus(c.conn_) != PQTRANS_IDLE;
            if (!PQsendQueryParams(c.conn_, sql_.c_str(), static_cast<int>(p.values.size()), p.types.data(), p.values.data(),
                                   p.lengths.data(), p.formats.data(), 0))
                c.fail(nullptr, sql_, bindings_, false);
            c.reader_ = this;
            PQsetSingleRowMode(c.conn_);
            pull();  // the first row, or the end: the columns or the statement's error are known from here
        }
        ~Reader() override {
            PQclear(r_);
            if (c_.reader_ != this) return;
            if (!inTransaction_) {  // inside one a cancel would abort the whole transaction: the rows are read instead
                if (PGcancel* cancel = PQgetCancel(c_.conn_)) {
                    char error[256];
                    PQcancel(cancel, error, sizeof error);
                    PQfreeCancel(cancel);
                }
            }
            finish();
        }
        const std::vector<std::string>& columns() const override { return columns_; }
        const Cell* next() override {
            if (!fresh_) pull();
            fresh_ = false;
            if (!r_) return nullptr;
            for (std::size_t i = 0; i < cells_.size(); ++i) {
                const int c = static_cast<int>(i);
                cells_[i] = cell(r_, 0, c, oids_[i], decoded_[i]);
            }
            return cells_.data();
        }

    private:
        // The next row into r_, or null at the end.
        void pull() {
            PQclear(r_);
            r_ = c_.reader_ == this ? PQgetResult(c_.conn_) : nullptr;
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
            if (r_ && status == PGRES_SINGLE_TUPLE) return;
            if (!r_ || status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
                PQclear(std::exchange(r_, nullptr));
                finish();
                return;
            }
            ResultGuard failed{std::exchange(r_, nullptr)};
            finish();
            c_.fail(failed.r, sql_, bindings_, false);
        }
        // Reads what is left of the statement's results: the connection is then ready for another.
        void finish() noexcept {
            if (c_.reader_ != this) return;
            while (PGresult* rest = PQgetResult(c_.conn_)) PQclear(rest);
            c_.reader_ = nullptr;
        }

        PostgresConnection& c_;
        std::string sql_;
        Bindings bindings_;
        bool inTransaction_ = false;
        bool fresh_ = true;  // r_ holds a row not handed out yet
        PGresult* r_ = nullptr;
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

    // A cell viewing the result's text; bytea is decoded into `scratch`, which the view then points to.
    static Cell cell(PGresult* r, int row, int col, Oid oid, std::string& scratch) {
        Cell c;
        const int len = PQgetlength(r, row, col);
        if (len == 0 && PQgetisnull(r, row, col)) return c;  // only an empty cell can be NULL
        const char* p = PQgetvalue(r, row, col);
        switch (oid) {
        case BOOLOID:
            c.kind = Value::Kind::Bool;
            c.integer = p[0] == 't';
            break;
        case INT2OID:
        case INT4OID:
        case INT8OID:
        case OIDOID:
            c.kind = Value::Kind::Int;
            std::from_chars(p, p + len, c.integer);
            break;
        case FLOAT4OID:
        case FLOAT8OID:
            c.kind = Value::Kind::Double;
            c.real = std::strtod(p, nullptr);
            break;
        case NUMERICOID:
            // an integral one (sum of bigints, decimal(p,0)) is an integer, as SQLite gives it; others stay exact text
            c.kind = Value::Kind::Text;
            c.bytes = std::string_view(p, static_cast<std::size_t>(len));
            if (auto [end, ec] = std::from_chars(p, p + len, c.integer); ec == std::errc() && end == p + len) c.kind = Value::Kind::Int;
            break;
        case BYTEAOID: {
            // text output of bytea is hex: \x0a1b...
            scratch.clear();
            if (len >= 2 && p[0] == '\\' && p[1] == 'x') {
                scratch.reserve(static_cast<std::size_t>(len - 2) / 2);
                for (int i = 2; i + 1 < len; i += 2) scratch.push_back(static_cast<char>(hexValue(p[i]) * 16 + hexValue(p[i + 1])));
            } else {
                std::size_t out = 0;
                unsigned char* u = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &out);
                scratch.assign(reinterpret_cast<const char*>(u), out);
                PQfreemem(u);
            }
            c.kind = Value::Kind::Blob;
            c.bytes = scratch;
            break;
        }
        default:  // text, numeric, dates, json, uuid
            c.kind = Value::Kind::Text;
            c.bytes = std::string_view(p, static_cast<std::size_t>(len));
        }
        return c;
    }

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

    PGconn* conn_ = nullptr;
    std::chrono::milliseconds limit_{0};  // setTimeout()
    bool closing_ = false;  // the server announced that it closes this connection
};

}  // namespace

std::unique_ptr<DriverConnection> openPostgres(const std::string& conninfo, bool preparedStatements) {
    return std::make_unique<PostgresConnection>(conninfo, preparedStatements);
}

}  // namespace lucid::detail
