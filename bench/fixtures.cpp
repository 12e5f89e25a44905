#include "fixtures.hpp"

#include <atomic>
#include <thread>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace bench {
namespace raw {

Sqlite::Sqlite(const std::string& path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) fail("open " + path);
    sqlite3_busy_timeout(db_, 5000);
    exec("pragma foreign_keys = on");
    if (path != ":memory:") exec("pragma journal_mode = wal");
}

Sqlite::~Sqlite() {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close_v2(db_);
}

void Sqlite::fail(const std::string& what) const {
    throw std::runtime_error("sqlite: " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
}

void Sqlite::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        throw std::runtime_error("sqlite: " + msg + " in: " + sql.substr(0, 200));
    }
}

sqlite3_stmt* Sqlite::stmt(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
        sqlite3_reset(it->second);
        return it->second;
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
        fail("prepare " + sql.substr(0, 200));
    cache_.emplace(sql, st);
    return st;
}

Pg::Pg(const std::string& url) {
    c_ = PQconnectdb(url.c_str());
    if (!c_ || PQstatus(c_) != CONNECTION_OK) {
        std::string msg = c_ ? PQerrorMessage(c_) : "out of memory";
        PQfinish(c_);
        throw std::runtime_error("libpq: cannot connect: " + msg);
    }
    PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);
    exec("set time zone 'UTC'");  // as lucid-cpp's connections
}

Pg::~Pg() { PQfinish(c_); }

void Pg::exec(const std::string& sql) { PgResult r(c_, PQexec(c_, sql.c_str())); }

const std::string& Pg::prepare(const std::string& sql, int nParams) {
    auto it = names_.find(sql);
    if (it != names_.end()) return it->second;
    std::string name = "bench_" + std::to_string(names_.size() + 1);
    PgResult r(c_, PQprepare(c_, name.c_str(), sql.c_str(), nParams, nullptr));
    return names_.emplace(sql, std::move(name)).first->second;
}

PgResult::PgResult(pg_conn* c, pg_result* r) : r_(r) {
    auto st = PQresultStatus(r_);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        std::string msg = r_ ? PQresultErrorMessage(r_) : PQerrorMessage(c);
        PQclear(r_);
        throw std::runtime_error("libpq: " + msg);
    }
}
PgResult::~PgResult() { PQclear(r_); }
int PgResult::rows() const { return PQntuples(r_); }

}  // namespace raw

namespace {

std::vector<std::string> schemaSql(bool pg, int users, int postsPerUser) {
    const std::string n = std::to_string(users);
    const std::string p = std::to_string(postsPerUser - 1);
    std::vector<std::string> s;
    if (pg) {
        s = {
            "drop table if exists notes cascade",
            "drop table if exists posts cascade",
            "drop table if exists profiles cascade",
            "drop table if exists users cascade",
            "create table users (id serial primary key, email varchar(255) not null, name varchar(255) not null)",
            "create table profiles (id serial primary key, user_id integer, avatar_url varchar(255) not null, "
            "is_active boolean not null default false)",
            "create table posts (id serial primary key, user_id integer, title varchar(255) not null, "
            "points integer not null default 0, is_published boolean not null default false)",
            "insert into users (email, name) select 'user' || i || '@example.com', 'User ' || i from generate_series(1, " + n +
                ") as s(i) order by i",
            "insert into profiles (user_id, avatar_url, is_active) select id, 'https://img.example/' || id || '.png', id % 2 = 0 "
            "from users order by id",
            "insert into posts (user_id, title, points, is_published) select u.id, 'Post ' || k.j || ' by ' || u.id, "
            "(u.id * 7 + k.j) % 100, (u.id % 2 = 0 and k.j % 3 = 0) from users u cross join generate_series(0, " + p +
                ") as k(j) order by u.id, k.j",
            "create index posts_user_id_index on posts (user_id)",
            // no autovacuum in the middle of a measurement: W1's clean-up vacuums users itself
            "alter table users set (autovacuum_enabled = false)",
            "alter table profiles set (autovacuum_enabled = false)",
            "alter table posts set (autovacuum_enabled = false)",
            "create table notes (id serial primary key, notable_type varchar(255) not null, notable_id integer not null, "
            "body varchar(255) not null)",
            "insert into notes (notable_type, notable_id, body) select case when i % 2 = 1 then 'User' else 'Post' end, "
            "case when i % 2 = 1 then i else i * 10 end, 'Note ' || i from generate_series(1, " + n + ") as s(i) order by i",
            "alter table notes set (autovacuum_enabled = false)",
            "vacuum analyze",
        };
    } else {
        s = {
            "drop table if exists notes",
            "drop table if exists posts",
            "drop table if exists profiles",
            "drop table if exists users",
            "create table users (id integer not null primary key autoincrement, email varchar(255) not null, "
            "name varchar(255) not null)",
            "create table profiles (id integer not null primary key autoincrement, user_id integer, "
            "avatar_url varchar(255) not null, is_active boolean not null default 0)",
            "create table posts (id integer not null primary key autoincrement, user_id integer, title varchar(255) not null, "
            "points integer not null default 0, is_published boolean not null default 0)",
            "insert into users (email, name) with recursive s(i) as (select 1 union all select i + 1 from s where i < " + n +
                ") select 'user' || i || '@example.com', 'User ' || i from s",
            "insert into profiles (user_id, avatar_url, is_active) select id, 'https://img.example/' || id || '.png', id % 2 = 0 "
            "from users order by id",
            "insert into posts (user_id, title, points, is_published) with recursive k(j) as (select 0 union all "
            "select j + 1 from k where j < " + p + ") select u.id, 'Post ' || k.j || ' by ' || u.id, (u.id * 7 + k.j) % 100, "
            "(u.id % 2 = 0 and k.j % 3 = 0) from users u cross join k order by u.id, k.j",
            "create index posts_user_id_index on posts (user_id)",
            "create table notes (id integer not null primary key autoincrement, notable_type varchar(255) not null, "
            "notable_id integer not null, body varchar(255) not null)",
            "insert into notes (notable_type, notable_id, body) with recursive s(i) as (select 1 union all select i + 1 from s "
            "where i < " + n + ") select case when i % 2 = 1 then 'User' else 'Post' end, case when i % 2 = 1 then i else i * 10 end, "
            "'Note ' || i from s",
            "analyze",
        };
    }
    return s;
}

}  // namespace

void rawExec(Env& env, const std::string& sql) {
    if (env.pg) env.pg->exec(sql);
    else env.sq->exec(sql);
}

void seed(Env& env, int users, int postsPerUser) {
    auto stmts = schemaSql(env.isPg(), users, postsPerUser);
    for (const auto& s : stmts) rawExec(env, s);
    // SQLite in memory: lucid's database is a second, private copy, seeded by the same statements.
    if (env.kind == Kind::SqliteMem)
        for (const auto& s : stmts) env.db->rawQuery(s);
}

std::unique_ptr<Env> openEnv(Kind kind, const std::string& target) {
    auto env = std::make_unique<Env>();
    env->kind = kind;
    switch (kind) {
    case Kind::SqliteMem:
        env->name = "sqlite_mem";
        env->url = "sqlite::memory:";
        env->sq = std::make_unique<raw::Sqlite>(":memory:");
        break;
    case Kind::SqliteFile: {
        env->name = "sqlite_file";
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(target + suffix);
        env->url = "sqlite:" + target;
        env->sq = std::make_unique<raw::Sqlite>(target);
        break;
    }
    case Kind::Postgres:
        env->name = "postgres";
        env->url = target;
        env->pg = std::make_unique<raw::Pg>(target);
        break;
    }
    env->db = std::make_unique<lucid::Database>(env->url);
    return env;
}

Seconds runThreads(int threads, const std::function<void(int)>& body) {
    std::atomic<bool> go{false};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
            body(t);
        });
    auto t0 = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    for (auto& th : pool) th.join();
    return since(t0);
}

std::string pgUrlFromEnv() {
    for (const char* k : {"LUCID_BENCH_PG_URL", "LUCID_TEST_PG_URL"})
        if (const char* v = std::getenv(k); v && *v) return v;
    return "";
}

std::vector<int64_t> findIds(int count, int n) {
    std::vector<int64_t> ids(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) ids[static_cast<std::size_t>(i)] = (static_cast<int64_t>(i) * 7919 + 13) % n + 1;
    return ids;
}

// PostgreSQL: and vacuum the 10,000 dead rows, so that every run (and every other workload) sees the same table.
void w1CleanupLucid(Env& env) {
    env.db->rawQuery("delete from users where id > " + std::to_string(kUsers));
    if (env.isPg()) env.db->rawQuery("vacuum users");
}
void w1CleanupRaw(Env& env) {
    rawExec(env, "delete from users where id > " + std::to_string(kUsers));
    if (env.isPg()) rawExec(env, "vacuum users");
}

}  // namespace bench
