#include "database/driver.hpp"

#include <lucid/errors.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cmath>
#include <cstring>
#include <optional>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace lucid::detail {
namespace {

constexpr int busyTimeoutMs = 5000;

// This process's writers to one file, served first come, first served. SQLite's busy handler polls with
// growing sleeps: with many writers one can lose every poll until its timeout ("database is locked"
// though every transaction is short). Writers of other processes still meet at the busy handler.
class WriterQueue {
public:
    static std::shared_ptr<WriterQueue> forFile(const std::string& file) {
        static std::mutex m;
        static std::map<std::string, std::weak_ptr<WriterQueue>> queues;
        std::lock_guard lock(m);
        auto& slot = queues[file];
        auto q = slot.lock();
        if (!q) slot = q = std::make_shared<WriterQueue>();
        return q;
    }
    // False when `who` was not first within the timeout (a writer of this very thread may be holding it).
    bool enter(const void* who) {
        std::unique_lock lock(m_);
        waiting_.push_back(who);
        if (cv_.wait_for(lock, std::chrono::milliseconds(busyTimeoutMs), [&] { return waiting_.front() == who; })) return true;
        waiting_.erase(std::find(waiting_.begin(), waiting_.end(), who));
        cv_.notify_all();
        return false;
    }
    void leave(const void* who) {
        {
            std::lock_guard lock(m_);
            waiting_.erase(std::find(waiting_.begin(), waiting_.end(), who));
        }
        cv_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<const void*> waiting_;  // the front one is writing
};

class SqliteConnection final : public DriverConnection {
public:
    explicit SqliteConnection(const std::string& path) {
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
        if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw ConnectionError("cannot open SQLite database \"" + path + "\": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, busyTimeoutMs);
        // A double-quoted name that matches no column is an error, never a string literal: a mistyped
        // column would otherwise compare a constant and silently match nothing (or everything).
        sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
        sqlite3_db_config(db_, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
        exec("pragma foreign_keys = on");
        if (path != ":memory:") exec("pragma journal_mode = wal");
        const char* file = sqlite3_db_filename(db_, "main");
        if (file && *file) writers_ = WriterQueue::forFile(file);
    }
    ~SqliteConnection() override {
        if (writing_) writers_->leave(this);
        for (auto& [sql, st] : cache_) sqlite3_finalize(st.stmt);
        sqlite3_close_v2(db_);
    }

    bool inTransaction() const override { return !sqlite3_get_autocommit(db_); }

    Result execute(const Statement& given) override {
        const std::string& sql = given.text();
        const Bindings& bindings = given.bindings;
        auto data = std::make_shared<ResultData>();
        const char* tail = nullptr;
        Cached* entry = nullptr;
        Owned own;
        sqlite3_stmt* st = statement(sql, bindings, &tail, &entry, own);
        run(st, *entry, sql, bindings, *data);
        if (tail) {
            // several statements in one raw string (no bindings): run the rest one by one
            own.finalize();
            std::string rest = tail;
            while (!rest.empty()) {
                const char* next = nullptr;
                sqlite3_stmt* s2 = nullptr;
                if (sqlite3_prepare_v2(db_, rest.c_str(), static_cast<int>(rest.size()), &s2, &next) != SQLITE_OK)
                    fail(rest, bindings);
                if (!s2) break;
                *data = ResultData{};
                Cached once{s2, {}, {}, -1};
                try {
                    run(s2, once, rest, {}, *data);
                } catch (...) {
                    sqlite3_finalize(s2);
                    throw;
                }
                sqlite3_finalize(s2);
                rest = next;
            }
        }
        return Result(std::move(data));
    }

    void stream(const Statement& given, RowSink& sink) override {
        const std::string& sql = given.text();
        const Bindings& bindings = given.bindings;
        const char* tail = nullptr;
        Cached* entry = nullptr;
        Owned own;
        sqlite3_stmt* st = statement(sql, bindings, &tail, &entry, own);
        if (tail) {  // several statements: not a query to stream
            own.finalize();
            DriverConnection::stream(given, sink);
            return;
        }
        ResultData counts;
        run(st, *entry, sql, bindings, counts, &sink);
    }

    std::unique_ptr<RowReader> read(const Statement& given) override {
        {
            auto reader = std::make_unique<Reader>(*this, given);
            if (reader->st) return reader;
        }
        return DriverConnection::read(given);  // several statements, or a write: not rows to step through
    }

private:
    struct Cached {
        sqlite3_stmt* stmt;
        std::list<std::string>::iterator lru;
        std::vector<std::string> columns;  // names as of the last run, so a repeated query does not rebuild them
        int reprepared = -1;               // SQLITE_STMTSTATUS_REPREPARE when `columns` were read
        uint64_t shape = 0;                // names `columns` were read under (RowSink::begin), 0 for none
    };

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw ConnectionError(std::string("SQLite setup failed (") + sql + "): " + msg);
        }
    }

    [[noreturn]] void fail(const std::string& sql, const Bindings& bindings) {
        raise(sqlite3_errmsg(db_), sql, bindings, sqlite3_extended_errcode(db_));
    }
    // An interrupt that the timeout asked for is a QueryTimeout; anything else a QueryError.
    [[noreturn]] void raise(const std::string& msg, const std::string& sql, const Bindings& bindings, int code) const {
        raise(msg, sql, bindings, code, deadline_.has_value());
    }
    // `timed`: a deadline was set, so an interrupt is the timeout's
    [[noreturn]] static void raise(const std::string& msg, const std::string& sql, const Bindings& bindings, int code, bool timed) {
        if (timed && (code & 0xff) == SQLITE_INTERRUPT)
            throw QueryTimeout("the statement ran past its timeout and was interrupted (" + msg + ")", sql, bindingsToString(bindings),
                               std::to_string(code));
        throw QueryError(msg, sql, bindingsToString(bindings), std::to_string(code));
    }

    // SQLite's progress handler, every 1000 virtual machine steps: past the deadline it interrupts the statement.
    void setTimeout(std::chrono::milliseconds limit) override {
        watch(limit.count() > 0 ? std::optional(std::chrono::steady_clock::now() + limit) : std::nullopt);
    }
    void watch(std::optional<std::chrono::steady_clock::time_point> deadline) {
        deadline_ = deadline;
        if (!deadline) {
            sqlite3_progress_handler(db_, 0, nullptr, nullptr);
            return;
        }
        sqlite3_progress_handler(
            db_, 1000, [](void* self) -> int { return std::chrono::steady_clock::now() >= *static_cast<SqliteConnection*>(self)->deadline_; },
            this);
    }

    // A statement that one run prepared for itself and finalizes when it ends, however it ends.
    struct Owned {
        Cached c{};
        Owned() = default;
        Owned(const Owned&) = delete;
        Owned& operator=(const Owned&) = delete;
        ~Owned() { finalize(); }
        void finalize() noexcept {
            if (c.stmt) sqlite3_finalize(c.stmt);
            c.stmt = nullptr;
        }
    };

    // A prepared statement from the cache and its column-name store, bound. Not cached (held by `own`): the
    // first statement of an sql that holds several (then *tail is set), and a second run of a statement
    // that is still stepping (a callback inside its rows ran the same SQL on this connection: resetting it
    // would pull its rows from under it).
    sqlite3_stmt* statement(const std::string& sql, const Bindings& bindings, const char** tail, Cached** entry, Owned& own) {
        // a statement run in a loop is found without hashing its SQL
        Cached* hit = mru_ && *mruSql_ == sql ? mru_ : nullptr;
        if (!hit)
            if (auto it = cache_.find(sql); it != cache_.end()) {
                hit = &it->second;
                mruSql_ = &it->first;
                lru_.splice(lru_.begin(), lru_, hit->lru);
            }
        if (hit && sqlite3_stmt_busy(hit->stmt)) {
            if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &own.c.stmt, nullptr) != SQLITE_OK) fail(sql, bindings);
            bind(own.c.stmt, sql, bindings);
            *entry = &own.c;
            return own.c.stmt;
        }
        if (hit) {
            mru_ = hit;
            sqlite3_reset(hit->stmt);  // every parameter is bound again below: no clear_bindings needed
            bind(hit->stmt, sql, bindings);
            *entry = hit;
            return hit->stmt;
        }
        sqlite3_stmt* st = nullptr;
        const char* rest = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, &rest) != SQLITE_OK)
            fail(sql, bindings);
        if (!st) throw QueryError("empty SQL statement", sql, bindingsToString(bindings));
        while (rest && *rest && std::isspace(static_cast<unsigned char>(*rest))) ++rest;
        if (rest && *rest) {
            if (!bindings.empty()) {
                sqlite3_finalize(st);
                throw QueryError("bindings are not allowed with several statements in one query", sql, bindingsToString(bindings));
            }
            *tail = rest;
            own.c = Cached{st, {}, {}, -1};
            *entry = &own.c;
            return st;
        }
        if (cache_.size() >= 256) evictOne();
        lru_.push_front(sql);
        auto it = cache_.emplace(sql, Cached{st, lru_.begin(), {}, -1}).first;
        mru_ = &it->second;
        mruSql_ = &it->first;
        bind(st, sql, bindings);
        *entry = mru_;
        return st;
    }

    // The least recently used statement that is not stepping goes (one still stepping belongs to a run in progress).
    void evictOne() {
        for (auto it = lru_.end(); it != lru_.begin();) {
            --it;
            auto victim = cache_.find(*it);
            if (sqlite3_stmt_busy(victim->second.stmt)) continue;
            if (&victim->second == mru_) mru_ = nullptr;
            sqlite3_finalize(victim->second.stmt);
            cache_.erase(victim);
            lru_.erase(it);
            return;
        }
    }

    void bind(sqlite3_stmt* st, const std::string& sql, const Bindings& bindings) {
        int expected = sqlite3_bind_parameter_count(st);
        if (expected != static_cast<int>(bindings.size()))
            throw QueryError("the statement has " + std::to_string(expected) + " placeholders but " +
                                 std::to_string(bindings.size()) + " bindings were given",
                             sql, bindingsToString(bindings));
        for (int i = 0; i < expected; ++i) {
            const Value& v = bindings[static_cast<std::size_t>(i)];
            int rc = SQLITE_OK;
            switch (v.kind()) {
            case Value::Kind::Null: rc = sqlite3_bind_null(st, i + 1); break;
            case Value::Kind::Bool: rc = sqlite3_bind_int(st, i + 1, std::get<bool>(v.storage()) ? 1 : 0); break;
            case Value::Kind::Int: rc = sqlite3_bind_int64(st, i + 1, std::get<int64_t>(v.storage())); break;
            case Value::Kind::Double: {
                const double d = std::get<double>(v.storage());
                // SQLite would store NULL in its place
                if (std::isnan(d)) throw TypeError("SQLite cannot store NaN (binding " + std::to_string(i + 1) + ")");
                rc = sqlite3_bind_double(st, i + 1, d);
                break;
            }
            case Value::Kind::Text: {
                const auto& s = std::get<std::string>(v.storage());
                rc = sqlite3_bind_text64(st, i + 1, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
                break;
            }
            case Value::Kind::Blob: {
                const auto& b = std::get<Blob>(v.storage());
                rc = sqlite3_bind_blob64(st, i + 1, b.empty() ? "" : static_cast<const void*>(b.data()), b.size(), SQLITE_STATIC);
                break;
            }
            }
            if (rc != SQLITE_OK) fail(sql, bindings);
        }
    }

    // A statement that starts writing (BEGIN IMMEDIATE, or a write outside a transaction) first waits for
    // its turn among this process's writers; the turn ends with the transaction.
    struct WriteTurn {
        SqliteConnection& c;
        WriteTurn(SqliteConnection& conn, sqlite3_stmt* st, const std::string& sql, const Bindings& bindings) : c(conn) {
            if (!c.writers_ || c.writing_ || !sqlite3_get_autocommit(c.db_) || sqlite3_stmt_readonly(st)) return;
            if (!c.writers_->enter(&c))
                throw QueryError("database is locked (another writer of this process held it for " +
                                     std::to_string(busyTimeoutMs) + " ms)",
                                 sql, bindingsToString(bindings), std::to_string(SQLITE_BUSY));
            c.writing_ = true;
        }
        ~WriteTurn() {
            if (c.writing_ && sqlite3_get_autocommit(c.db_)) {
                c.writers_->leave(&c);
                c.writing_ = false;
            }
        }
    };

    // Steps a read-only statement as its rows are asked for; reset when it ends, so that the connection (and
    // the statement, kept in the cache) is ready for the next run whether every row was read or not.
    // The statement's timeout runs from its start to its last row, the loop's time included: each step
    // runs under it, and no step is taken once it has passed.
    struct Reader final : RowReader {
        SqliteConnection& c;
        std::string sql;  // for errors raised after the statement given is gone
        Bindings bindings;
        Owned own;
        Cached* entry = nullptr;
        sqlite3_stmt* st = nullptr;  // null: not a statement to step through here
        std::vector<std::string> names;
        std::vector<Cell> cells;
        int rc = SQLITE_DONE;
        bool stepped = true;  // the current step's row is not handed out yet
        std::optional<std::chrono::steady_clock::time_point> deadline;

        Reader(SqliteConnection& conn, const Statement& s) : c(conn), sql(s.text()), bindings(s.bindings) {
            if (s.timeoutMs > 0) deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds{s.timeoutMs};
            const char* tail = nullptr;
            sqlite3_stmt* stmt = c.statement(sql, bindings, &tail, &entry, own);
            if (tail || !sqlite3_stmt_readonly(stmt)) return;
            st = stmt;
            step();  // the columns are read after the first step, which may re-prepare
            const int n = sqlite3_column_count(st);
            for (int i = 0; i < n; ++i) names.emplace_back(sqlite3_column_name(st, i));
            cells.resize(static_cast<std::size_t>(n));
            check();
        }
        ~Reader() override {
            if (st) sqlite3_reset(st);
        }
        const std::vector<std::string>& columns() const override { return names; }
        const Cell* next() override {
            if (!st) return nullptr;
            if (!stepped) {
                if (deadline && std::chrono::steady_clock::now() >= *deadline) {
                    sqlite3_reset(std::exchange(st, nullptr));
                    raise("the cursor's statement ran past its timeout", sql, bindings, SQLITE_INTERRUPT, true);
                }
                step();
                check();
            }
            stepped = false;
            if (rc != SQLITE_ROW) {
                sqlite3_reset(st);  // done: the read ends now, not when the reader goes
                st = nullptr;
                return nullptr;
            }
            for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = cell(st, static_cast<int>(i));
            return cells.data();
        }
        // One step under the reader's deadline; the connection's own (a statement the loop runs) meanwhile kept.
        void step() {
            if (!deadline) {
                rc = sqlite3_step(st);
                return;
            }
            const auto outer = c.deadline_;
            c.watch(deadline);
            rc = sqlite3_step(st);
            c.watch(outer);
        }
        void check() {
            if (rc == SQLITE_ROW || rc == SQLITE_DONE) return;
            std::string msg = sqlite3_errmsg(c.db_);
            const int code = sqlite3_extended_errcode(c.db_);
            sqlite3_reset(std::exchange(st, nullptr));
            raise(msg, sql, bindings, code, deadline.has_value() || c.deadline_.has_value());
        }
    };

    // Collects the rows into `out`, or with a sink hands each row over as cells viewing SQLite's buffers.
    void run(sqlite3_stmt* st, Cached& entry, const std::string& sql, const Bindings& bindings, ResultData& out, RowSink* sink = nullptr) {
        WriteTurn turn(*this, st, sql, bindings);
        // The first step may re-prepare the statement after a schema change ("select *" gaining a
        // column), so the columns are read after it, not before.
        int rc = sqlite3_step(st);
        const int ncols = sqlite3_column_count(st);
        std::vector<std::string>& names = entry.columns;
        const int reprepared = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0);
        if (reprepared != entry.reprepared || names.size() != static_cast<std::size_t>(ncols)) {
            names.clear();
            for (int i = 0; i < ncols; ++i) names.emplace_back(sqlite3_column_name(st, i));
            entry.reprepared = reprepared;
            static std::atomic<uint64_t> shapes{0};  // process-wide: a shape names one reading of one statement's columns
            entry.shape = ++shapes;
        }
        // the reused row buffer is taken for this run: a sink that queries this connection again gets its own
        std::vector<Cell> buffer;
        if (sink) {
            buffer = std::move(cells_);
            buffer.resize(static_cast<std::size_t>(ncols));
            sink->begin(names, 0, entry.shape);  // SQLite finds its rows as it steps
        } else {
            out.columns = names;
        }
        for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
            if (sink) {
                for (int i = 0; i < ncols; ++i) buffer[static_cast<std::size_t>(i)] = cell(st, i);
                sink->row(buffer.data());
            } else {
                for (int i = 0; i < ncols; ++i) out.cells.push_back(cell(st, i).value());
            }
            ++out.rows;
        }
        if (sink) cells_ = std::move(buffer);
        if (rc != SQLITE_DONE) {
            std::string msg = sqlite3_errmsg(db_);
            const int code = sqlite3_extended_errcode(db_);
            sqlite3_reset(st);
            raise(msg, sql, bindings, code);
        }
        if (!sqlite3_stmt_readonly(st)) {
            out.rowsAffected = sqlite3_changes64(db_);
            out.lastInsertId = sqlite3_last_insert_rowid(db_);
        }
        sqlite3_reset(st);
    }

    // One sqlite3_column_value() and then the value's own accessors: each sqlite3_column_* call
    // repeats the statement's bounds checks and error bookkeeping. Reading the (unprotected) value
    // directly is safe here: connections are opened NOMUTEX and used by one thread at a time.
    static Cell cell(sqlite3_stmt* st, int i) {
        sqlite3_value* v = sqlite3_column_value(st, i);
        Cell c;
        switch (sqlite3_value_type(v)) {
        case SQLITE_INTEGER:
            c.kind = Value::Kind::Int;
            c.integer = sqlite3_value_int64(v);
            break;
        case SQLITE_FLOAT:
            c.kind = Value::Kind::Double;
            c.real = sqlite3_value_double(v);
            break;
        case SQLITE_TEXT: {
            c.kind = Value::Kind::Text;
            auto p = reinterpret_cast<const char*>(sqlite3_value_text(v));
            c.bytes = std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
            break;
        }
        case SQLITE_BLOB: {
            c.kind = Value::Kind::Blob;
            auto p = static_cast<const char*>(sqlite3_value_blob(v));
            const auto n = static_cast<std::size_t>(sqlite3_value_bytes(v));
            c.bytes = n ? std::string_view(p, n) : std::string_view();
            break;
        }
        default: break;
        }
        return c;
    }

    sqlite3* db_ = nullptr;
    std::shared_ptr<WriterQueue> writers_;  // none for an in-memory database
    bool writing_ = false;                  // this connection's turn among the writers
    std::unordered_map<std::string, Cached> cache_;
    std::list<std::string> lru_;
    Cached* mru_ = nullptr;  // the entry used last, and its key
    const std::string* mruSql_ = nullptr;
    std::vector<Cell> cells_;  // one row's cells, reused
    std::optional<std::chrono::steady_clock::time_point> deadline_;  // setTimeout()
};

}  // namespace

std::unique_ptr<DriverConnection> openSqlite(const std::string& path) { return std::make_unique<SqliteConnection>(path); }

}  // namespace lucid::detail
