// The pool under load: threads sharing one Database (a SQLite file, PostgreSQL) find, save, preload and
// run transactions, and every count adds up in raw SQL; db.report() and the pool's timeout. The names hold
// "Pool"/"Concurrent"/"Thread": scripts/test.sh runs them under ThreadSanitizer too.
#include "support/blog_models.hpp"
#include "support/db_test.hpp"
#include "support/private_pgbouncer.hpp"

#include <lucid/json.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace lucid;
using blog::Post;
using blog::User;

namespace {
// A SQLite file (a pool of several connections; ":memory:" has one) and the PostgreSQL server.
std::vector<std::string> loadUrls() {
    auto urls = lucid_test::databaseUrls();
    urls[0] = "sqlite:" + ::testing::TempDir() + "lucid_pool_load.db";
    return urls;
}

constexpr int kThreads = 4, kOps = 40;  // per thread: kOps users, each with 2 posts

// Collects the first failure of any thread, for a message that says what went wrong.
struct Failures {
    std::atomic<int> count{0};
    std::mutex m;
    std::string first;
    void add(const std::exception& e) {
        if (count++ == 0) {
            std::lock_guard lock(m);
            first = e.what();
        }
    }
};
}  // namespace

class PoolLoadTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const std::string& url = GetParam();
        if (url.rfind("postgres-missing", 0) == 0) GTEST_FAIL() << "LUCID_TEST_PG_URL is not set: run the tests through scripts/test.sh";
        if (isSqlite()) removeFile();
        db.emplace(config(url, {.min = 0, .max = 4}));
        useDatabase(*db);
        blog::createTables(*db);
    }
    void TearDown() override {
        db.reset();
        if (isSqlite()) removeFile();
    }
    bool isSqlite() const { return GetParam().rfind("sqlite", 0) == 0; }
    void removeFile() {
        for (const char* suffix : {"", "-wal", "-shm"}) std::remove((GetParam().substr(7) + suffix).c_str());
    }
    static DatabaseConfig config(const std::string& url, PoolOptions pool) {
        return DatabaseConfig{.connection = "app", .connections = {{"app", ConnectionConfig{.url = url, .pool = pool}}}};
    }
    int64_t rawCount(const std::string& sql) { return db->rawQuery(sql)[0].get<int64_t>("n"); }
    std::optional<Database> db;
};

INSTANTIATE_TEST_SUITE_P(Databases, PoolLoadTest, ::testing::ValuesIn(loadUrls()), lucid_test::databaseName);

// 4 threads x 40 rounds on a pool of 4: each round saves a user, adds two posts in a transaction, finds
// the user by key, preloads its posts and bumps their points; one round in four rolls its transaction back.
TEST_P(PoolLoadTest, ConcurrentFindSavePreloadAndTransactionsAddUp) {
    Failures failures;
    std::atomic<int> wrongReads{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kOps; ++i) {
                try {
                    User u;
                    u.email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@x.com";
                    u.save();
                    db->transaction([&](Transaction& trx) {
                        Post::create({.userId = u.id, .title = "a", .points = 1}, trx);
                        Post::create({.userId = u.id, .title = "b", .points = 1}, trx);
                    });
                    if (i % 4 == 3) {
                        try {
                            db->transaction([&](Transaction& trx) {
                                Post::create({.userId = u.id, .title = "rolled back"}, trx);
                                throw std::runtime_error("roll back");
                            });
                        } catch (const std::runtime_error&) {
                        }
                    }
                    auto found = User::find(u.id);
                    if (!found || found->email != u.email) ++wrongReads;
                    auto users = User::query().where(&User::id, u.id).preload(&User::posts).all();
                    if (users.size() != 1 || users[0].posts.size() != 2) ++wrongReads;
                    for (Post& p : users.at(0).posts) {
                        p.points += 1;
                        p.save();
                    }
                } catch (const std::exception& e) {
                    failures.add(e);
                }
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.count.load(), 0) << failures.first;
    EXPECT_EQ(wrongReads.load(), 0);
    // checked against the rows themselves, not through the models
    EXPECT_EQ(rawCount("select count(*) as n from users"), kThreads * kOps);
    EXPECT_EQ(rawCount("select count(distinct email) as n from users"), kThreads * kOps);
    EXPECT_EQ(rawCount("select count(*) as n from posts"), 2 * kThreads * kOps);
    EXPECT_EQ(rawCount("select count(*) as n from posts where title = 'rolled back'"), 0);
    EXPECT_EQ(rawCount("select sum(points) as n from posts"), 2 * 2 * kThreads * kOps);
    EXPECT_EQ(rawCount("select count(*) as n from posts p join users u on u.id = p.user_id"), 2 * kThreads * kOps);
    const auto report = db->report();
    EXPECT_TRUE(report.healthy) << report.toJSON().dump();
    EXPECT_LE(report.connections.at(0).pool.size, 4);
    EXPECT_EQ(report.connections.at(0).pool.inUse, 0);
}

// A transaction holds the pool's only connection and another thread waits for it: the report counts
// both, and stays healthy (its check runs on a connection of its own, without waiting). One holder, since
// SQLite has one writer at a time.
TEST_P(PoolLoadTest, PoolReportCountsLeasesAndWaitingThreads) {
    db.emplace(config(GetParam(), {.min = 0, .max = 1, .acquireTimeoutMs = 60000}));
    Transaction trx = db->transaction();
    std::thread waiter([&] { EXPECT_EQ(db->rawQuery("select 1 as x")[0].get<int64_t>("x"), 1); });
    ConnectionReport busy;
    for (;;) {  // until the other thread is waiting
        busy = db->report().connections.at(0);
        if (busy.pool.waiting == 1) break;
        std::this_thread::yield();
    }
    trx.commit();
    waiter.join();
    EXPECT_TRUE(busy.healthy) << busy.error;
    EXPECT_EQ(busy.connection, "app");
    EXPECT_EQ(busy.message, "Connection is healthy");
    EXPECT_EQ(busy.pool.max, 1);
    EXPECT_EQ(busy.pool.size, 1);
    EXPECT_EQ(busy.pool.inUse, 1);
    EXPECT_EQ(busy.pool.idle, 0);
    const auto after = db->report();
    EXPECT_EQ(after.connections.at(0).pool.inUse, 0);
    EXPECT_EQ(after.connections.at(0).pool.idle, 1);
    EXPECT_EQ(after.connections.at(0).pool.waiting, 0);
    EXPECT_EQ(after.toJSON()["meta"][0]["pool"]["idle"], 1);
}

// A second connection, through a PgBouncer that is then stopped: the report names it, says it is not
// healthy and why, while the test's own connection stays healthy.
TEST_P(PoolLoadTest, PoolReportNamesAConnectionWhoseServerIsUnreachable) {
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    ASSERT_TRUE(pg && *pg);
    std::optional<lucid_test::PrivatePgBouncer> bouncer(std::in_place, pg, 2);
    ASSERT_TRUE(bouncer->ok()) << bouncer->error();
    DatabaseConfig cfg = config(GetParam(), {});
    cfg.connections["reporting"] = ConnectionConfig{.url = bouncer->url(pg, "?pgbouncer=true&connect_timeout=2")};
    db.emplace(cfg);
    EXPECT_TRUE(db->report().healthy);
    bouncer.reset();  // stops it: its port now refuses connections
    const HealthReport r = db->report();
    EXPECT_FALSE(r.healthy);
    EXPECT_EQ(r.message, "One or more connections are not healthy");
    ASSERT_EQ(r.connections.size(), 2u);
    EXPECT_EQ(r.connections[0].connection, "app");
    EXPECT_TRUE(r.connections[0].healthy);
    const ConnectionReport& down = r.connections[1];
    EXPECT_EQ(down.connection, "reporting");
    EXPECT_FALSE(down.healthy);
    EXPECT_EQ(down.message, "Unable to reach the database server");
    EXPECT_FALSE(down.error.empty());
    const auto json = r.toJSON();
    EXPECT_EQ(json["health"]["healthy"], false);
    EXPECT_EQ(json["meta"][1]["error"], down.error);
    // and a query on it fails with the connection error, not a hang
    EXPECT_THROW(db->connection("reporting").rawQuery("select 1"), ConnectionError);
}

// A thread that waits past pool.acquireTimeoutMs gets knex's words, the connection, the pool's size and the wait.
TEST_P(PoolLoadTest, PoolWaitTimesOutNamingTheConnectionAndPool) {
    db.emplace(config(GetParam(), {.min = 0, .max = 1, .acquireTimeoutMs = 100}));
    Transaction trx = db->transaction();
    std::string message;
    std::thread other([&] {
        try {
            db->rawQuery("select 1");
        } catch (const ConnectionError& e) {
            message = e.what();
        }
    });
    other.join();
    trx.rollback();
    EXPECT_NE(message.find("Timeout acquiring a connection. The pool is probably full"), std::string::npos) << message;
    EXPECT_NE(message.find("connection \"app\""), std::string::npos) << message;
    EXPECT_NE(message.find("pool max 1"), std::string::npos) << message;
    EXPECT_NE(message.find("waited 100 ms"), std::string::npos) << message;
}

// A replica whose pool is only busy (its one connection held by a cursor) is not a replica that is down:
// the read runs on the primary, with no warning, and the replica stays in the rotation.
TEST_P(PoolLoadTest, ABusyReplicaPoolIsNotTakenForADownReplica) {
    db.reset();  // the file again, now as its own replica
    db.emplace(DatabaseConfig{.connection = "app",
                              .connections = {{"app", [&] {
                                  ConnectionConfig c{.url = GetParam(), .pool = {.min = 0, .max = 1, .acquireTimeoutMs = 100}};
                                  c.readReplicas = {GetParam()};
                                  return c;
                              }()}}});
    useDatabase(*db);
    for (int i = 0; i < 3; ++i) User::create({.email = "busy" + std::to_string(i) + "@x.com"});
    ::testing::internal::CaptureStderr();
    int64_t seenByCursor = 0, fromThisThread = -1, fromAnother = -1;
    for (User& u : User::query().orderBy(&User::id).cursor()) {  // a read: the replica's only connection
        seenByCursor += u.id > 0;
        if (seenByCursor > 1) continue;
        fromThisThread = User::query().count();                            // this thread holds the replica's pool
        std::thread other([&] { fromAnother = User::query().count(); });  // another waits 100 ms for it
        other.join();
    }
    const std::string warnings = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(seenByCursor, 3);
    EXPECT_EQ(fromThisThread, 3);
    EXPECT_EQ(fromAnother, 3);
    EXPECT_EQ(warnings.find("cannot serve reads"), std::string::npos) << warnings;
    const HealthReport r = db->report();
    ASSERT_EQ(r.connections.size(), 1u);
    EXPECT_TRUE(r.connections[0].healthy);
    ASSERT_EQ(r.connections[0].replicas.size(), 1u);
    EXPECT_TRUE(r.connections[0].replicas[0].healthy) << r.connections[0].replicas[0].error;
}
