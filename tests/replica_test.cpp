// A real PostgreSQL primary and a hot standby streaming from it (scripts/with-replica.sh starts both):
// where reads and writes go, replication lag, sticky reads, a replica that is down, and failover to the
// promoted standby through a multi-host URL. PostgreSQL only by nature (SQLite's read replicas are
// tested with two files in database_test). The failover test promotes the standby: it comes last.
#include <lucid/lucid.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

using namespace lucid;
using namespace std::chrono_literals;

namespace replica {
struct Note : BaseModel<Note> {
    int64_t id = 0;
    std::string body;
    static void define(ModelDefinition<Note>& m) {
        m.column(&Note::id, "id", {.isPrimary = true});
        m.column(&Note::body, "body");
    }
};
}  // namespace replica
using replica::Note;

namespace {
std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}
int64_t portOf(const std::string& url) { return std::stoll(url.substr(url.rfind(':') + 1)); }

// `scripts/with-replica.sh ctl WHO ACTION`: start, stop (-m fast), kill (-m immediate) or promote one of the two servers
void ctl(const std::string& who, const std::string& action) {
    ASSERT_EQ(std::system((env("LUCID_TEST_PG_CTL") + " " + who + " " + action).c_str()), 0) << who << ' ' << action;
}

// Waits until the standby has replayed everything the primary wrote so far.
void waitForReplay(const std::string& primaryUrl, const std::string& replicaUrl) {
    Database primary(primaryUrl), standby(replicaUrl);
    // the insert position: with synchronous_commit off, the last commit may not be written out yet
    const std::string lsn = primary.rawQuery("select pg_current_wal_insert_lsn()::text as l")[0].get<std::string>("l");
    for (int i = 0; i < 600; ++i) {
        if (standby.rawQuery("select pg_last_wal_replay_lsn() >= ?::pg_lsn as done", {lsn})[0].get<bool>("done")) return;
        std::this_thread::sleep_for(10ms);
    }
    FAIL() << "the standby did not replay up to " << lsn;
}

class ReplicaTest : public ::testing::Test {
protected:
    void SetUp() override {
        primaryUrl = env("LUCID_TEST_PG_PRIMARY_URL");
        replicaUrl = env("LUCID_TEST_PG_REPLICA_URL");
        ASSERT_FALSE(primaryUrl.empty() || replicaUrl.empty() || env("LUCID_TEST_PG_CTL").empty())
            << "LUCID_TEST_PG_PRIMARY_URL, LUCID_TEST_PG_REPLICA_URL and LUCID_TEST_PG_CTL are not set: run this "
               "program through scripts/with-replica.sh (scripts/test.sh does)";
        Database primary(primaryUrl);
        primary.rawQuery("drop view if exists whoami");
        primary.rawQuery("drop table if exists notes");
        primary.rawQuery("create table notes (id serial primary key, body text not null)");
        // which server answers a SELECT built with the query builder
        primary.rawQuery("create view whoami as select pg_is_in_recovery() as standby, inet_server_port() as port");
        waitForReplay(primaryUrl, replicaUrl);
    }
    void TearDown() override {
        if (paused) Database(replicaUrl).rawQuery("select pg_wal_replay_resume()");
    }
    // The standby stops applying what it receives: a write on the primary is then not on it, however long one waits.
    void pauseReplay() {
        Database(replicaUrl).rawQuery("select pg_wal_replay_pause()");
        paused = true;
    }
    ConnectionConfig config() const { return ConnectionConfig{.url = primaryUrl, .readReplicas = {replicaUrl}}; }
    static Database open(ConnectionConfig c) { return Database(DatabaseConfig{.connections = {{"main", std::move(c)}}}); }
    static bool onStandby(QueryClient& db) { return db.from("whoami").first()->get<bool>("standby"); }

    std::string primaryUrl, replicaUrl;
    bool paused = false;
};
}  // namespace

TEST_F(ReplicaTest, SelectsOutsideTransactionsGoToTheReplicaEverythingElseToThePrimary) {
    Database db = open(config());
    auto who = db.from("whoami").first();
    EXPECT_TRUE(who->get<bool>("standby"));
    EXPECT_EQ(who->get<int64_t>("port"), portOf(replicaUrl));
    // writes: the standby would refuse them ("cannot execute INSERT in a read-only transaction")
    const Note made = Note::create(Note{.body = "written"}, db);
    db.table("notes").where("id", made.id).update({{"body", "updated"}});
    EXPECT_FALSE(db.rawQuery("select pg_is_in_recovery() as r")[0].get<bool>("r"));  // raw SQL: the primary
    db.transaction([&](Transaction& trx) {
        EXPECT_FALSE(onStandby(trx));
        EXPECT_EQ(Note::findOrFail(made.id, trx).body, "updated");  // a model read inside it: the primary too
    });
    // the model layer's reads go to the replica
    waitForReplay(primaryUrl, replicaUrl);
    EXPECT_EQ(Note::findOrFail(made.id, db).body, "updated");
    EXPECT_EQ(db.from("notes").selectRaw("inet_server_port() as port").first()->get<int64_t>("port"), portOf(replicaUrl));
}

TEST_F(ReplicaTest, AWriteIsNotOnTheReplicaUntilItIsReplayed) {
    Database db = open(config());
    pauseReplay();
    const Note made = Note::create(Note{.body = "lagging"}, db);
    EXPECT_FALSE(Note::find(made.id, db).has_value());  // the replica has not applied it yet
    EXPECT_EQ(db.from("notes").count(), 0);
    Database(replicaUrl).rawQuery("select pg_wal_replay_resume()");
    paused = false;
    waitForReplay(primaryUrl, replicaUrl);
    EXPECT_EQ(Note::findOrFail(made.id, db).body, "lagging");
}

TEST_F(ReplicaTest, StickyReadsSeeTheirOwnWritesThenGoBackToTheReplica) {
    // windows far from how long the calls take: an hour to see the writes, 100 ms to see it end
    ConnectionConfig sticky = config(), brief = config();
    sticky.stickyFor = 1h;
    brief.stickyFor = 100ms;
    Database db = open(sticky), afterTrx = open(sticky), shortly = open(brief), plain = open(config());
    pauseReplay();
    EXPECT_TRUE(onStandby(db));  // no write yet: reads go to the replica
    const Note made = Note::create(Note{.body = "mine"}, db);
    EXPECT_EQ(Note::findOrFail(made.id, db).body, "mine");  // right after the write: from the primary
    EXPECT_FALSE(onStandby(db));
    EXPECT_FALSE(Note::find(made.id, plain).has_value());  // without sticky the replica, which has not got it
    // a transaction counts as a write: its rows are read back from the primary
    EXPECT_TRUE(onStandby(afterTrx));
    int64_t inTrx = 0;
    afterTrx.transaction([&](Transaction& trx) { inTrx = Note::create(Note{.body = "in a transaction"}, trx).id; });
    EXPECT_EQ(Note::findOrFail(inTrx, afterTrx).body, "in a transaction");
    // once the window is over, reads go to the replica again
    Note::create(Note{.body = "brief"}, shortly);
    std::this_thread::sleep_for(200ms);
    EXPECT_TRUE(onStandby(shortly));
    EXPECT_FALSE(Note::find(made.id, shortly).has_value());
}

TEST_F(ReplicaTest, AReplicaThatIsDownIsSkippedWithAWarningAndUsedAgainWhenBack) {
    ConnectionConfig c = config();
    c.replicaRetryAfter = 200ms;
    Database db = open(c);
    const Note made = Note::create(Note{.body = "kept"}, db);
    waitForReplay(primaryUrl, replicaUrl);
    EXPECT_TRUE(onStandby(db));
    ctl("replica", "stop");
    ::testing::internal::CaptureStderr();
    // every read is answered, by the primary, while the replica is down
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(onStandby(db));
    const auto firstRead = std::chrono::steady_clock::now() - start;
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(onStandby(db));
        EXPECT_EQ(Note::findOrFail(made.id, db).body, "kept");
    }
    std::this_thread::sleep_for(300ms);  // past the retry time: tried again, still down, still answered
    EXPECT_FALSE(onStandby(db));
    // a Database made while its replica is down opens, and reads from the primary
    Database later = open(c);
    EXPECT_EQ(Note::findOrFail(made.id, later).body, "kept");
    const std::string warnings = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(warnings.find("[lucid:main] warning: read replica \"" + replicaUrl + "\" cannot serve reads"), std::string::npos)
        << warnings;
    std::cerr << "replica down: the first read took " << std::chrono::duration<double, std::milli>(firstRead).count()
              << " ms (the failed try on the replica, then the primary)\n";
    ctl("replica", "start");
    waitForReplay(primaryUrl, replicaUrl);
    std::this_thread::sleep_for(300ms);  // past the retry time
    EXPECT_TRUE(onStandby(db));
    EXPECT_TRUE(onStandby(later));
    // killed (pg_ctl stop -m immediate: the connections drop without a word): the same
    ctl("replica", "kill");
    ::testing::internal::CaptureStderr();
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(onStandby(db));
        EXPECT_EQ(Note::findOrFail(made.id, later).body, "kept");
    }
    EXPECT_NE(::testing::internal::GetCapturedStderr().find("cannot serve reads"), std::string::npos);
    ctl("replica", "start");
}

TEST_F(ReplicaTest, MultiHostUrlsReachTheServerTheirTargetSessionAttrsAsk) {
    const std::string hosts = "postgres://postgres@127.0.0.1:" + std::to_string(portOf(replicaUrl)) + ",127.0.0.1:" +
                              std::to_string(portOf(primaryUrl)) + "/postgres";
    // the standby is listed first: read-write skips it
    Database writer(hosts + "?target_session_attrs=read-write");
    EXPECT_EQ(writer.rawQuery("select inet_server_port() as p")[0].get<int64_t>("p"), portOf(primaryUrl));
    Database standby(hosts + "?pgbouncer=false&target_session_attrs=standby");  // lucid's own option taken out, libpq's kept
    EXPECT_EQ(standby.rawQuery("select inet_server_port() as p")[0].get<int64_t>("p"), portOf(replicaUrl));
    Database any(hosts);  // libpq's default: the first that answers
    EXPECT_EQ(any.rawQuery("select inet_server_port() as p")[0].get<int64_t>("p"), portOf(replicaUrl));
    try {
        Database bad("postgres://postgres:secret@127.0.0.1:1,127.0.0.1:2/postgres?target_session_attrs=read-write");
        ADD_FAILURE() << "connected to nothing";
    } catch (const ConnectionError& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
}

// Last: it promotes the standby, which ends the replica setup of this run.
TEST_F(ReplicaTest, FailoverThroughAMultiHostUrlLosesNoAcknowledgedWrite) {
    const std::string hosts = "postgres://postgres@127.0.0.1:" + std::to_string(portOf(primaryUrl)) + ",127.0.0.1:" +
                              std::to_string(portOf(replicaUrl)) + "/postgres?target_session_attrs=read-write";
    const int poolSize = 4;
    Database db = open(ConnectionConfig{.url = hosts, .pool = {.min = poolSize, .max = poolSize}});
    std::vector<int64_t> acknowledged;
    for (int i = 0; i < 50; ++i) acknowledged.push_back(Note::create(Note{.body = "before " + std::to_string(i)}, db).id);
    ctl("primary", "stop");  // a planned switchover: -m fast sends the standby every write first
    int failedBeforePromotion = 0;
    std::string why;
    try {
        Note::create(Note{.body = "nobody takes it"}, db);
    } catch (const ConnectionError& e) {
        ++failedBeforePromotion;  // the old primary is gone and the standby is read-only
        why = e.what();
    }
    EXPECT_EQ(failedBeforePromotion, 1);
    ctl("replica", "promote");
    int failedAfterPromotion = 0;
    for (int i = 0; i < 50; ++i) {
        try {
            acknowledged.push_back(Note::create(Note{.body = "after " + std::to_string(i)}, db).id);
        } catch (const ConnectionError&) {
            ++failedAfterPromotion;
        }
    }
    EXPECT_LE(failedAfterPromotion, poolSize);
    std::cerr << "failover: " << failedBeforePromotion << " call(s) failed between the stop and the promotion, "
              << failedAfterPromotion << " after it (" << why << ")\n";
    Database promoted(replicaUrl);
    EXPECT_FALSE(promoted.rawQuery("select pg_is_in_recovery() as r")[0].get<bool>("r"));
    for (int64_t id : acknowledged) EXPECT_TRUE(Note::find(id, promoted).has_value()) << "lost acknowledged row " << id;
    EXPECT_EQ(promoted.from("notes").count(), static_cast<int64_t>(acknowledged.size()));
}
