#include "support/db_test.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace lucid;
using lucid_test::DbTest;

class DatabaseTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"items"});
        db->schema().createTable("items", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").nullable();
            t.integer("qty").nullable();
            t.double_("price").nullable();
            t.boolean("flag").nullable();
            t.binary("data").nullable();
            t.timestamp("at").nullable();
            t.json("doc").nullable();
            t.text("body").nullable();
        });
    }
};

TEST_P(DatabaseTest, RawQueryWithPlaceholdersOnEveryDialect) {
    db->rawQuery("insert into items (name, qty) values (?, ?)", {"a", 1});
    db->rawQuery("insert into items (name, qty) values (?, ?)", {"b", 2});
    Result r = db->rawQuery("select id, name, qty from items where qty >= ? order by id", {1});
    ASSERT_EQ(r.size(), 2u);
    EXPECT_FALSE(r.empty());
    std::vector<std::string> names;
    for (const Row& row : r) names.push_back(row["name"].as<std::string>());
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(r[1].get<int64_t>("qty"), 2);
    EXPECT_EQ(r[1].get<std::optional<int64_t>>("qty"), 2);
    auto it = r.begin();
    EXPECT_EQ(it->get<std::string>("name"), "a");
    EXPECT_EQ((it++)->get<std::string>("name"), "a");
    EXPECT_EQ(it->get<std::string>("name"), "b");
    Result u = db->rawQuery("update items set qty = qty + 1");
    EXPECT_EQ(u.rowsAffected(), 2);
}

TEST_P(DatabaseTest, TypesRoundTrip) {
    using namespace std::chrono;
    DateTime at = sys_days{2024y / 3 / 5} + 12h + 34min + 56s + 123456us;
    Blob data{std::byte{0}, std::byte{1}, std::byte{0xff}, std::byte{0}};
    db->table("items").insert({{"name", "x"}, {"qty", int64_t{1} << 40 >> 10}, {"price", 2.25}, {"flag", true},
                               {"data", data}, {"at", at}, {"doc", toValue(nlohmann::json{{"k", "v"}})}});
    auto row = db->from("items").first();
    ASSERT_TRUE(row);
    EXPECT_EQ(row->get<int64_t>("qty"), int64_t{1} << 30);
    EXPECT_DOUBLE_EQ(row->get<double>("price"), 2.25);
    EXPECT_TRUE(row->get<bool>("flag"));
    EXPECT_EQ(row->get<Blob>("data"), data);
    EXPECT_EQ(row->get<DateTime>("at"), at);
    EXPECT_EQ(row->get<nlohmann::json>("doc")["k"], "v");
    EXPECT_EQ(row->get<std::optional<std::string>>("body"), std::nullopt);
    EXPECT_THROW(row->get<int64_t>("name"), TypeError);
    EXPECT_THROW(row->get<std::string>("body"), TypeError);
    EXPECT_THROW((*row)["nope"], Error);
}

TEST_P(DatabaseTest, HostileTextIsStoredVerbatim) {
    const std::string nasty = "Robert'); drop table items; -- \"quoted\" ; ? $1 \\";
    db->table("items").insert({{"name", nasty}});
    EXPECT_EQ(db->from("items").where("name", nasty).count(), 1);
    EXPECT_EQ(db->from("items").first()->get<std::string>("name"), nasty);
    EXPECT_TRUE(db->schema().hasTable("items"));
    const std::string withNul("a\0b", 3);
    if (isPostgres()) {
        // PostgreSQL text cannot hold NUL: a clear error, never a silent truncation; blobs can.
        EXPECT_THROW(db->table("items").insert({{"name", withNul}}), QueryError);
        Blob b{std::byte{'a'}, std::byte{0}, std::byte{'b'}};
        db->table("items").insert({{"data", b}});
        EXPECT_EQ(db->from("items").whereNotNull("data").first()->get<Blob>("data"), b);
    } else {
        db->table("items").insert({{"name", withNul}});
        EXPECT_EQ(db->from("items").where("name", withNul).first()->get<std::string>("name"), withNul);
    }
}

TEST_P(DatabaseTest, SqlErrorsCarryTheSqlAndBindings) {
    try {
        db->rawQuery("selec nonsense from items where id = ?", {42});
        FAIL() << "expected a QueryError";
    } catch (const QueryError& e) {
        EXPECT_EQ(e.code(), "E_QUERY_ERROR");
        EXPECT_NE(std::string(e.what()).find("selec nonsense"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("42"), std::string::npos);
    }
    db->schema().alterTable("items", [](TableBuilder& t) { t.string("code").nullable().unique(); });
    db->table("items").insert({{"code", "A"}});
    try {
        db->table("items").insert({{"code", "A"}});
        FAIL() << "expected a constraint violation";
    } catch (const QueryError& e) {
        std::string msg = e.what();
        EXPECT_TRUE(msg.find("UNIQUE") != std::string::npos || msg.find("unique") != std::string::npos) << msg;
        EXPECT_NE(msg.find("'A'"), std::string::npos);
    }
}

TEST_P(DatabaseTest, QueryEventsDescribeEachQuery) {
    std::vector<std::string> sqls;
    std::vector<std::size_t> bindingCounts;
    bool sawTransaction = false;
    {
        auto sub = db->onQuery([&](const QueryEvent& e) {
            sqls.emplace_back(e.sql);
            bindingCounts.push_back(e.bindings.size());
            EXPECT_EQ(e.connection, "primary");
            EXPECT_EQ(e.model, "");
            EXPECT_GE(e.duration.count(), 0);
            sawTransaction = sawTransaction || e.inTransaction;
        });
        db->from("items").where("id", 7).exec();
        db->transaction([](Transaction& trx) { trx.rawQuery("select 1"); });
    }
    db->rawQuery("select 2");  // after the subscription ended: not seen
    ASSERT_EQ(sqls.size(), 4u);  // select, begin, select 1, commit
    EXPECT_EQ(bindingCounts[0], 1u);
    EXPECT_TRUE(sawTransaction);
    EXPECT_EQ(sqls[1], isPostgres() ? "begin" : "begin immediate");
}

TEST_P(DatabaseTest, NamedConnectionsAndUnknownNames) {
    EXPECT_EQ(&db->connection("primary"), &db->connection());
    EXPECT_EQ(db->connection("primary").rawQuery("select 1 as one")[0].get<int64_t>("one"), 1);
    EXPECT_THROW(db->connection("nope"), ConnectionError);
}

TEST_P(DatabaseTest, RepeatedStatementsSurviveSchemaChanges) {
    db->table("items").insert({{"name", "a"}});
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(db->from("items").where("name", "a").first());  // prepared on PostgreSQL
    if (!isPostgres()) {  // one shared connection: SQLite re-prepares its cached statement by itself
        db->schema().alterTable("items", [](TableBuilder& t) { t.string("extra").nullable(); });
        EXPECT_TRUE(db->from("items").where("name", "a").first()->has("extra"));
        return;
    }
    {
        // a second pooled connection also prepares it, while the first is held by a transaction
        Transaction held = db->transaction();
        EXPECT_TRUE(db->from("items").where("name", "a").first());
        held.commit();
    }
    db->schema().alterTable("items", [](TableBuilder& t) { t.string("extra").nullable(); });
    EXPECT_TRUE(db->from("items").where("name", "a").first()->has("extra"));
    {
        // the other connection's plan predates the new column: it is prepared again, not an error
        Transaction held = db->transaction();
        auto row = db->from("items").where("name", "a").first();
        ASSERT_TRUE(row);
        EXPECT_TRUE(row->has("extra"));
        held.rollback();
    }
}

INSTANTIATE_TEST_SUITE_P(Databases, DatabaseTest, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);

// Threads sharing one Database: reads, writes and transactions of 4 threads add up exactly (this test also
// runs under ThreadSanitizer, by its name).
TEST_P(DatabaseTest, ThreadsShareOneDatabaseConcurrently) {
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                try {
                    const int64_t id = db->table("items").insert({{"name", "t" + std::to_string(t)}, {"qty", i}});
                    if (db->from("items").where("id", id).first()->get<int64_t>("qty") != i) ++wrong;
                    db->transaction([&](Transaction& trx) { trx.from("items").where("id", id).increment("qty"); });
                } catch (const std::exception& e) {
                    ++wrong;
                    ADD_FAILURE() << e.what();
                }
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(db->from("items").count(), 200);
    EXPECT_EQ(db->rawQuery("select sum(qty) as s from items")[0].get<int64_t>("s"), 4 * (49 * 50 / 2 + 50));
}

TEST(DatabaseUrls, BadUrlsFailClearly) {
    EXPECT_THROW(Database("mysql://x"), ConnectionError);
    EXPECT_THROW(Database("sqlite:"), ConnectionError);
    EXPECT_THROW(Database("sqlite:/nonexistent-dir/x/y.db"), ConnectionError);
    try {
        Database db("postgres://user:secret@127.0.0.1:1/app?connect_timeout=2");
        FAIL();
    } catch (const ConnectionError& e) {
        std::string msg = e.what();
        EXPECT_EQ(msg.find("secret"), std::string::npos) << "the password must not leak into messages";
        EXPECT_NE(msg.find("127.0.0.1"), std::string::npos);
    }
}

TEST(DatabaseUrls, ANulByteInAUrlIsRefused) {
    using namespace std::string_literals;
    // the C APIs would stop at the NUL: SQLite would open (and create) the file "lucid_nul"
    const std::string dir = ::testing::TempDir();
    std::remove((dir + "lucid_nul").c_str());
    EXPECT_THROW(Database(std::string("sqlite:") + dir + "lucid_nul\0.db"s), ConnectionError);
    std::FILE* truncated = std::fopen((dir + "lucid_nul").c_str(), "r");
    EXPECT_EQ(truncated, nullptr) << "a file named by the part before the NUL was created";
    if (truncated) std::fclose(truncated);
    // without the check, libpq would connect to the database named by the part before the NUL
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    ASSERT_TRUE(pg && *pg) << "LUCID_TEST_PG_URL is not set";
    EXPECT_THROW(Database(std::string(pg) + "\0_other"s), ConnectionError);
}

TEST(DatabaseUrls, WrongPasswordIsAConnectionError) {
    const char* pg = std::getenv("LUCID_TEST_PG_URL");
    ASSERT_TRUE(pg && *pg) << "LUCID_TEST_PG_URL is not set";
    // A role that does not exist is refused like a wrong password, under trust auth too.
    std::string url(pg);
    url.replace(url.find("postgres@"), 9, "nobody_here:pw@");
    EXPECT_THROW(Database{url}, ConnectionError);
}

TEST(DatabaseFiles, SqliteFileDatabaseUsesWalAndAPool) {
    std::string path = ::testing::TempDir() + "lucid_file_test.db";
    std::remove(path.c_str());
    {
        Database db{DatabaseConfig{.connection = "file",
                                   .connections = {{"file", ConnectionConfig{.url = "sqlite:" + path, .pool = {.min = 0, .max = 4}}}}}};
        EXPECT_EQ(db.rawQuery("pragma journal_mode")[0].get<std::string>("journal_mode"), "wal");
        db.rawQuery("create table t (id integer primary key, n integer)");
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i)
            threads.emplace_back([&db, i] {
                for (int k = 0; k < 25; ++k) db.table("t").insert({{"n", i}});
            });
        for (auto& t : threads) t.join();
        EXPECT_EQ(db.from("t").count(), 100);
    }
    std::remove(path.c_str());
}

// Each transaction reads, then writes: a deferred BEGIN would get SQLITE_BUSY at the write without waiting
// for the busy timeout whenever another connection committed since the read.
TEST(DatabaseFiles, SqliteWritersOnOneFileWaitForEachOther) {
    std::string path = ::testing::TempDir() + "lucid_writers_test.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    Database db{DatabaseConfig{.connections = {{"file", ConnectionConfig{.url = "sqlite:" + path, .pool = {.min = 0, .max = 8}}}}}};
    db.rawQuery("create table t (id integer primary key, seen integer not null)");
    constexpr int threads = 8, perThread = 300;
    std::atomic<int> failures{0};
    std::string firstError;
    std::mutex m;
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] {
            for (int k = 0; k < perThread; ++k) {
                try {
                    db.transaction([](Transaction& trx) {
                        int64_t seen = trx.from("t").count();
                        trx.table("t").insert({{"seen", seen}});
                    });
                } catch (const std::exception& e) {
                    if (failures++ == 0) {
                        std::lock_guard lock(m);
                        firstError = e.what();
                    }
                }
            }
        });
    for (auto& t : pool) t.join();
    EXPECT_EQ(failures.load(), 0) << firstError;
    EXPECT_EQ(db.from("t").count(), threads * perThread);
    // serialized: every transaction saw all the rows committed before it, and no two saw the same count
    EXPECT_EQ(db.rawQuery("select count(distinct seen) as n from t")[0].get<int64_t>("n"), threads * perThread);
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

TEST(DatabasePool, AWaitingThreadTimesOutWithAClearError) {
    std::string path = ::testing::TempDir() + "lucid_pool_test.db";
    std::remove(path.c_str());
    Database db{DatabaseConfig{.connections = {{"one", ConnectionConfig{.url = "sqlite:" + path,
                                                                       .pool = {.min = 0, .max = 1, .acquireTimeoutMs = 200}}}}}};
    Transaction trx = db.transaction();  // holds the only connection
    // on this thread: refused at once, since waiting would never end
    EXPECT_THROW(db.rawQuery("select 1"), ConnectionError);
    std::atomic<bool> timedOut{false};
    std::thread other([&] {
        try {
            db.rawQuery("select 1");
        } catch (const ConnectionError& e) {
            timedOut = std::string(e.what()).find("Timeout acquiring a connection") != std::string::npos;
        }
    });
    other.join();
    EXPECT_TRUE(timedOut);
    trx.rollback();
    EXPECT_EQ(db.rawQuery("select 1 as x")[0].get<int64_t>("x"), 1);
    std::remove(path.c_str());
}

TEST(DatabaseReplicas, SelectsGoToReplicasAndWritesToThePrimary) {
    std::string primary = ::testing::TempDir() + "lucid_primary.db", replica = ::testing::TempDir() + "lucid_replica.db";
    std::remove(primary.c_str());
    std::remove(replica.c_str());
    Database db{DatabaseConfig{.connections = {{"main", ConnectionConfig{.url = "sqlite:" + primary, .readReplicas = {"sqlite:" + replica}}}}}};
    db.rawQuery("create table t (id integer)");
    Database replicaDb{"sqlite:" + replica};
    replicaDb.rawQuery("create table t (id integer)");
    replicaDb.rawQuery("insert into t values (99)");
    db.table("t").insert({{"id", 1}});
    // the query builder's SELECT reads the replica; raw SQL and transactions use the primary
    EXPECT_EQ(db.from("t").first()->get<int64_t>("id"), 99);
    EXPECT_EQ(db.rawQuery("select id from t")[0].get<int64_t>("id"), 1);
    db.transaction([](Transaction& trx) { EXPECT_EQ(trx.from("t").first()->get<int64_t>("id"), 1); });
    std::remove(primary.c_str());
    std::remove(replica.c_str());
}
