// Faults a user's program meets in production, done for real: killed connections, a restarted server,
// timeouts, failed statements at every savepoint level, a full disk, a killed process, two processes on
// one file. Each asserts a clear error of the right class, nothing partially written, and that the next
// call works. Where a fault has no counterpart on a database, that instance runs the normal path and
// says so.
#include "support/db_test.hpp"
#include "support/private_postgres.hpp"

#include <sys/mount.h>
#include <sys/wait.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <thread>

using namespace lucid;
using lucid_test::DbTest;

class FaultsTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        if (isPostgres()) dropTables({"fault_rows"});
    }
    void TearDown() override {
        if (!dir_.empty()) std::system(("rm -rf '" + dir_ + "'").c_str());
    }
    // The database the fault is done to: a file on SQLite (its faults are those of files and processes),
    // the test server on PostgreSQL.
    std::string target() {
        if (isPostgres()) return GetParam();
        return "sqlite:" + directory() + "/faults.db";
    }
    std::string directory() {
        if (dir_.empty()) {
            char dir[] = "/tmp/lucid-faults.XXXXXX";
            if (mkdtemp(dir)) dir_ = dir;
        }
        return dir_;
    }
    static std::unique_ptr<Database> open(const std::string& url, int max = 4) {
        return std::make_unique<Database>(
            DatabaseConfig{.connections = {{"faulty", ConnectionConfig{.url = url, .pool = {.min = 0, .max = max}}}}});
    }
    static void createRows(QueryClient& client) {
        client.schema().createTable("fault_rows", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable().unique();
        });
    }
    static int64_t rows(QueryClient& client) { return client.from("fault_rows").count(); }
    static int64_t backendPid(QueryClient& client) { return client.rawQuery("select pg_backend_pid() as pid")[0].get<int64_t>("pid"); }

    // Ends these backends from another connection (the test's own), as an administrator or a crash would,
    // and waits until they are gone.
    void terminate(const std::vector<int64_t>& pids) {
        for (int64_t pid : pids) db->rawQuery("select pg_terminate_backend(?)", {pid});
        for (int64_t pid : pids)
            for (int i = 0; i < 1000 && db->rawQuery("select count(*) as n from pg_stat_activity where pid = ?", {pid})[0].get<int64_t>("n") > 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // Opens `n` pooled connections at once (n open transactions) and returns their backends. PostgreSQL
    // only: SQLite's transactions on one file take the write lock, one at a time.
    std::vector<int64_t> fillPool(Database& d, int n) {
        std::vector<Transaction> held;
        std::vector<int64_t> pids;
        for (int i = 0; i < n; ++i) {
            held.push_back(d.transaction());
            pids.push_back(backendPid(held.back()));
        }
        for (auto& trx : held) trx.commit();
        return pids;
    }
    // Calls that each take a pooled connection: none may fail.
    static void everyCallWorks(Database& d, const std::string& prefix) {
        for (int i = 0; i < 8; ++i) {
            EXPECT_NO_THROW(d.table("fault_rows").insert({{"name", prefix + std::to_string(i)}})) << "call " << i;
            EXPECT_NO_THROW(d.from("fault_rows").where("name", prefix + std::to_string(i)).first()) << "call " << i;
        }
    }

    std::string dir_;
};

TEST_P(FaultsTest, KilledPooledConnectionsCostNoUserQuery) {
    auto d = open(target());
    createRows(*d);
    // SQLite has no server that could cut a connection: its instance runs the normal path.
    std::vector<int64_t> pids;
    if (isPostgres()) {
        pids = fillPool(*d, 4);
        terminate(pids);
    }
    everyCallWorks(*d, "after-kill-");
    EXPECT_EQ(rows(*d), 8);
    if (isPostgres()) {
        const int64_t now = backendPid(*d);
        EXPECT_EQ(std::count(pids.begin(), pids.end(), now), 0) << "a killed connection was handed out again";
    }
}

TEST_P(FaultsTest, AConnectionKilledInsideATransactionEndsIt) {
    auto d = open(target());
    createRows(*d);
    {
        Transaction trx = d->transaction();
        trx.table("fault_rows").insert({{"name", "in the transaction"}});
        if (isPostgres()) {
            terminate({backendPid(trx)});
            // never retried inside a transaction: the server rolled it back with the connection
            EXPECT_THROW(trx.table("fault_rows").insert({{"name", "after the kill"}}), ConnectionError);
            EXPECT_THROW(trx.commit(), ConnectionError);
        } else {
            // SQLite has no connection to lose; its nearest fault, a failed statement, ends it the same way
            EXPECT_THROW(trx.rawQuery("insert into no_such_table values (1)"), QueryError);
            EXPECT_THROW(trx.commit(), QueryError);
        }
        EXPECT_TRUE(trx.isCompleted());
    }
    // managed: the error comes out of db.transaction(), nothing is committed
    auto killed = [&](Transaction& trx) {
        trx.table("fault_rows").insert({{"name", "managed"}});
        if (isPostgres()) terminate({backendPid(trx)});
        else try { trx.rawQuery("select * from no_such_table"); } catch (const QueryError&) {}
        trx.table("fault_rows").insert({{"name", "managed, after"}});
    };
    if (isPostgres()) {
        EXPECT_THROW(d->transaction(killed), ConnectionError);
    } else {
        EXPECT_THROW(d->transaction(killed), QueryError);
    }
    EXPECT_EQ(rows(*d), 0);
    everyCallWorks(*d, "next-");
    EXPECT_EQ(rows(*d), 8);
}

TEST_P(FaultsTest, AServerRestartMidRun) {
    if (!isPostgres()) {
        // SQLite has no server to restart: its instance runs the normal path on a file.
        auto d = open(target());
        createRows(*d);
        everyCallWorks(*d, "run-");
        return;
    }
    lucid_test::PrivatePostgres server;
    ASSERT_TRUE(server.ok()) << server.error();
    auto d = open(server.url());
    createRows(*d);
    int round = 0;
    for (const char* mode : {"fast", "immediate"}) {
        SCOPED_TRACE(std::string("pg_ctl restart -m ") + mode);
        fillPool(*d, 4);
        Transaction open = d->transaction();
        open.table("fault_rows").insert({{"name", std::string("uncommitted ") + mode}});
        ASSERT_TRUE(server.restart(mode));
        EXPECT_THROW(open.commit(), ConnectionError);
        everyCallWorks(*d, "round" + std::to_string(round++) + "-");
        EXPECT_EQ(d->from("fault_rows").where("name", std::string("uncommitted ") + mode).count(), 0);
    }
    EXPECT_EQ(rows(*d), 16);
}

TEST_P(FaultsTest, AStatementTimeout) {
    auto d = open(target());
    createRows(*d);
    std::unique_ptr<Database> holder;
    std::optional<Transaction> lock;
    if (!isPostgres()) {
        // SQLite has no statement timeout; its nearest fault is the busy timeout: another connection holds
        // the write lock (this waits for the busy timeout, 5 s)
        holder = open(target());
        lock.emplace(holder->transaction());
        lock->table("fault_rows").insert({{"name", "holder"}});
    }
    try {
        d->transaction([&](Transaction& trx) {
            if (isPostgres()) {
                trx.table("fault_rows").insert({{"name", "before the timeout"}});
                trx.rawQuery("set local statement_timeout = 50");
                trx.rawQuery("select pg_sleep(5)");
            } else {
                trx.table("fault_rows").insert({{"name", "never written"}});
            }
        });
        FAIL() << "no timeout";
    } catch (const QueryError& e) {
        const std::string expected = isPostgres() ? "57014" : "5";  // query_canceled; SQLITE_BUSY
        EXPECT_EQ(e.sqlState(), expected) << e.what();
    }
    if (lock) lock->rollback();
    EXPECT_EQ(rows(*d), 0);
    everyCallWorks(*d, "next-");
}

// A unique violation at each place of two nested savepoints, propagating out of its level or caught inside
// it by the application: the level that held it is rolled back, everything outside it is kept.
TEST_P(FaultsTest, AUniqueViolationInEveryNestingPosition) {
    auto d = open(target());
    createRows(*d);
    enum Where { Outermost, OuterBeforeInner, Inner, InnerCaughtInside, OuterAfterInner, OuterCaughtInside };
    const std::vector<std::string> outerRolledBack{"after", "dup", "outside"};
    const std::vector<std::string> innerRolledBack{"after", "dup", "outer-after", "outer-before", "outside"};
    const std::vector<std::pair<Where, std::vector<std::string>>> cases{
        {Outermost, {"dup"}},
        {OuterBeforeInner, outerRolledBack}, {Inner, innerRolledBack}, {InnerCaughtInside, innerRolledBack},
        {OuterAfterInner, outerRolledBack}, {OuterCaughtInside, outerRolledBack}};
    auto names = [&] {
        std::vector<std::string> out;
        for (const Row& r : d->rawQuery("select name from fault_rows order by name")) out.push_back(r.get<std::string>("name"));
        return out;
    };
    auto dup = [](Transaction& level) { level.table("fault_rows").insert({{"name", "dup"}}); };
    for (const auto& [where, expected] : cases) {
        SCOPED_TRACE("position " + std::to_string(where));
        d->from("fault_rows").del();
        d->table("fault_rows").insert({{"name", "dup"}});
        auto work = [&](Transaction& trx) {
            trx.table("fault_rows").insert({{"name", "outside"}});
            if (where == Outermost) {
                EXPECT_THROW(dup(trx), QueryError);  // caught: the transaction cannot commit now
            }
            try {
                trx.transaction([&](Transaction& outer) {
                    outer.table("fault_rows").insert({{"name", "outer-before"}});
                    if (where == OuterBeforeInner) dup(outer);
                    try {
                        outer.transaction([&](Transaction& inner) {
                            inner.table("fault_rows").insert({{"name", "inner"}});
                            if (where == Inner) dup(inner);
                            if (where == InnerCaughtInside) {
                                EXPECT_THROW(dup(inner), QueryError);
                            }
                        });
                    } catch (const QueryError&) {
                        EXPECT_TRUE(where == Inner || where == InnerCaughtInside);
                    }
                    outer.table("fault_rows").insert({{"name", "outer-after"}});
                    if (where == OuterAfterInner) dup(outer);
                    if (where == OuterCaughtInside) {
                        EXPECT_THROW(dup(outer), QueryError);
                    }
                });
                EXPECT_TRUE(where == Inner || where == InnerCaughtInside) << "a failed savepoint reported success";
            } catch (const QueryError&) {
            }
            if (where != Outermost) trx.table("fault_rows").insert({{"name", "after"}});
        };
        if (where == Outermost) {
            EXPECT_THROW(d->transaction(work), QueryError);
        } else {
            d->transaction(work);
        }
        EXPECT_EQ(names(), expected);
    }
    everyCallWorks(*d, "next-");
}

TEST_P(FaultsTest, ADiskFullSqliteFile) {
    if (isPostgres()) {
        // Filling the shared server's disk would hurt every other test: the PostgreSQL instance runs the
        // normal path (a large transaction commits whole).
        auto d = open(target());
        createRows(*d);
        d->transaction([](Transaction& trx) {
            for (int i = 0; i < 2000; ++i) trx.table("fault_rows").insert({{"name", std::to_string(i) + std::string(200, 'x')}});
        });
        EXPECT_EQ(rows(*d), 2000);
        return;
    }
    if (getuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root: the disk-full fault was not tried";
    const std::string dir = directory() + "/small";
    std::system(("mkdir -p '" + dir + "'").c_str());
    if (mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=512k") != 0)
        GTEST_SKIP() << "cannot mount a 512 KiB tmpfs on " << dir << " (" << std::strerror(errno) << "): the disk-full fault was not tried";
    struct Unmount {
        std::string dir;
        ~Unmount() { umount2(dir.c_str(), MNT_DETACH); }
    } unmount{dir};
    auto d = open("sqlite:" + dir + "/full.db");
    createRows(*d);
    for (int i = 0; i < 10; ++i) d->table("fault_rows").insert({{"name", "kept " + std::to_string(i)}});
    const std::string big(1000, 'x');
    auto fill = [&](QueryClient& client, const std::string& prefix) {
        for (int i = 0; i < 2000; ++i) client.table("fault_rows").insert({{"name", prefix + std::to_string(i) + big}});
    };
    try {
        d->transaction([&](Transaction& trx) { fill(trx, "in transaction "); });
        FAIL() << "2 MB went into a 512 KiB disk";
    } catch (const QueryError& e) {
        EXPECT_EQ(e.sqlState(), std::to_string(13)) << e.what();  // SQLITE_FULL
    }
    EXPECT_EQ(rows(*d), 10);
    // the next call works: what the failed transaction wrote into the WAL is free again
    d->table("fault_rows").insert({{"name", "after the failed transaction"}});
    EXPECT_EQ(rows(*d), 11);
    // outside a transaction: each insert is its own transaction, the one that does not fit fails whole
    int64_t before = 0;
    try {
        for (int i = 0;; ++i) {
            before = rows(*d);
            d->table("fault_rows").insert({{"name", "alone " + std::to_string(i) + big}});
        }
    } catch (const QueryError& e) {
        EXPECT_EQ(e.sqlState(), std::to_string(13)) << e.what();
    }
    EXPECT_EQ(rows(*d), before);  // the next call (a read) works; a write waits for room on the disk
    EXPECT_GT(before, 11);
}

// A child process inserts 100,000 rows in one transaction and is killed (SIGKILL) midway: the table holds
// none of them, and the next call works.
TEST_P(FaultsTest, SigkillDuringAHundredThousandRowInsert) {
    const std::string url = target();
    open(url).get()->schema().createTable("fault_rows", [](TableBuilder& t) {  // closed before the fork
        t.increments("id");
        t.string("name").notNullable();
    });
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(ready[0]);
        try {
            auto d = open(url, 1);
            d->transaction([&](Transaction& trx) {
                std::vector<Attributes> chunk;
                for (int i = 0; i < 100000; ++i) {
                    chunk.push_back({{"name", "row " + std::to_string(i)}});
                    if (chunk.size() == 1000) {
                        trx.table("fault_rows").insertMany(chunk);
                        chunk.clear();
                    }
                    if (i == 30000) (void)!write(ready[1], "k", 1);  // a third written: kill me now
                }
            });
        } catch (...) {
            _exit(2);
        }
        _exit(0);
    }
    close(ready[1]);
    char c = 0;
    ASSERT_EQ(read(ready[0], &c, 1), 1) << "the child failed before it was a third through";
    close(ready[0]);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    auto d = open(url);
    const int64_t n = rows(*d);
    EXPECT_TRUE(n == 0 || n == 100000) << n << " rows: a part of one transaction was kept";
    EXPECT_TRUE(WIFSIGNALED(status)) << "the child ended before the kill";
    EXPECT_EQ(n, 0);
    d->table("fault_rows").insert({{"name", "next"}});
    EXPECT_EQ(rows(*d), n + 1);
}

// Two processes write one database (on SQLite one WAL file), each in read-then-write transactions: none
// fails, and every row is there.
TEST_P(FaultsTest, TwoProcessesWriteOneDatabase) {
    const std::string url = target();
    open(url).get()->schema().createTable("fault_rows", [](TableBuilder& t) {  // closed before the forks
        t.increments("id");
        t.integer("seen").notNullable();
    });
    constexpr int perProcess = 1000;
    std::vector<pid_t> children;
    for (int p = 0; p < 2; ++p) {
        pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            int failures = 0;
            try {
                auto d = open(url, 1);
                for (int i = 0; i < perProcess; ++i) {
                    try {
                        d->transaction([](Transaction& trx) { trx.table("fault_rows").insert({{"seen", trx.from("fault_rows").count()}}); });
                    } catch (const std::exception& e) {
                        if (failures++ == 0) std::fprintf(stderr, "child: %s\n", e.what());
                    }
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "child: %s\n", e.what());
                _exit(255);
            }
            _exit(std::min(failures, 254));
        }
        children.push_back(child);
    }
    for (pid_t child : children) {
        int status = 0;
        waitpid(child, &status, 0);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0) << "failed transactions in a child (capped at 254)";
    }
    auto d = open(url);
    EXPECT_EQ(rows(*d), 2 * perProcess);
}

LUCID_DB_TEST_SUITE(FaultsTest);
