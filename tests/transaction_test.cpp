#include "support/db_test.hpp"

#include <optional>

using namespace lucid;
using lucid_test::DbTest;

class TransactionTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"t"});
        db->schema().createTable("t", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
        });
    }
    int64_t rows() { return db->from("t").count(); }
    std::vector<std::string> names() {
        std::vector<std::string> out;
        for (const Row& r : db->rawQuery("select name from t order by name")) out.push_back(r.get<std::string>("name"));
        return out;
    }
};

TEST_P(TransactionTest, ManagedCommitsOnReturn) {
    int64_t id = db->transaction([](Transaction& trx) { return trx.table("t").insert({{"name", "a"}}); });
    EXPECT_GT(id, 0);
    EXPECT_EQ(rows(), 1);
}

TEST_P(TransactionTest, ManagedRollsBackAndRethrows) {
    EXPECT_THROW(db->transaction([](Transaction& trx) {
        trx.table("t").insert({{"name", "a"}});
        trx.table("t").insert({{"name", nullptr}});  // NOT NULL violation
    }), QueryError);
    EXPECT_EQ(rows(), 0);
    EXPECT_THROW(db->transaction([](Transaction& trx) {
        trx.table("t").insert({{"name", "a"}});
        throw std::runtime_error("user code failed");
    }), std::runtime_error);
    EXPECT_EQ(rows(), 0);
}

TEST_P(TransactionTest, ManualCommitRollbackAndDestruction) {
    {
        Transaction trx = db->transaction();
        trx.table("t").insert({{"name", "kept"}});
        EXPECT_FALSE(trx.isCompleted());
        trx.commit();
        EXPECT_TRUE(trx.isCompleted());
        EXPECT_THROW(trx.rawQuery("select 1"), Error);
        EXPECT_THROW(trx.commit(), Error);
    }
    {
        Transaction trx = db->transaction();
        trx.table("t").insert({{"name", "gone"}});
        trx.rollback();
    }
    {
        Transaction trx = db->transaction();
        trx.table("t").insert({{"name", "dropped"}});
    }  // destroyed open: rolled back
    EXPECT_EQ(rows(), 1);
    EXPECT_EQ(db->from("t").first()->get<std::string>("name"), "kept");
}

TEST_P(TransactionTest, SavepointsNest) {
    db->transaction([](Transaction& trx) {
        trx.table("t").insert({{"name", "outer"}});
        EXPECT_THROW(trx.transaction([](Transaction& sp) {
            sp.table("t").insert({{"name", "inner"}});
            throw std::runtime_error("undo the inner part only");
        }), std::runtime_error);
        trx.transaction([](Transaction& sp) { sp.table("t").insert({{"name", "inner kept"}}); });
        Transaction manual = trx.transaction();
        manual.table("t").insert({{"name", "manual"}});
        manual.rollback();
        EXPECT_EQ(trx.from("t").count(), 2);
    });
    EXPECT_EQ(rows(), 2);
}

TEST_P(TransactionTest, ATransactionIsAQueryClient) {
    db->transaction([](Transaction& trx) {
        QueryClient& client = trx;
        client.schema().createTable("t2", [](TableBuilder& t) { t.increments("id"); });
        client.table("t2").insert({});
        EXPECT_EQ(client.from("t2").count(), 1);
        EXPECT_EQ(client.rawQuery("select count(*) as n from t2")[0].get<int64_t>("n"), 1);
        client.schema().dropTable("t2");
    });
}

TEST_P(TransactionTest, AFailedStatementInsideReportsItsOwnError) {
    Transaction trx = db->transaction();
    try {
        trx.from("no_such_table").where("id", 1).update({{"name", "x"}});
        FAIL();
    } catch (const QueryError& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos) << e.what();
    }
    trx.rollback();
}

TEST_P(TransactionTest, TheConnectionReturnsWhenTheOutermostEnds) {
    Transaction outer = db->transaction();
    Transaction sp = outer.transaction();
    sp.table("t").insert({{"name", "in savepoint"}});
    sp.commit();
    outer.commit();
    // the savepoint handle still exists, but the (only, on :memory:) connection is back in the pool
    EXPECT_EQ(db->rawQuery("select count(*) as n from t")[0].get<int64_t>("n"), 1);
    EXPECT_TRUE(sp.isCompleted());
    EXPECT_THROW(sp.rawQuery("select 1"), Error);
}

// ---- savepoints: one name per level ----

TEST_P(TransactionTest, EveryNestedSavepointHasItsOwnName) {
    lucid_test::QueryCounter seen(*db);
    db->transaction([](Transaction& trx) {
        trx.transaction([](Transaction& outer) { outer.transaction([](Transaction&) {}); });
        trx.transaction([](Transaction&) {});
    });
    std::vector<std::string> savepoints;
    for (const auto& sql : seen.sqls)
        if (sql.rfind("savepoint ", 0) == 0) savepoints.push_back(sql);
    EXPECT_EQ(savepoints, (std::vector<std::string>{"savepoint lucid_sp_1", "savepoint lucid_sp_2", "savepoint lucid_sp_3"}));
}

TEST_P(TransactionTest, AFailedOuterSavepointTakesItsCompletedInnerOneWithIt) {
    for (bool innerCommits : {true, false}) {
        db->from("t").del();
        db->transaction([&](Transaction& trx) {
            trx.table("t").insert({{"name", "outside"}});
            EXPECT_THROW(trx.transaction([&](Transaction& outer) {
                outer.table("t").insert({{"name", "outer"}});
                Transaction inner = outer.transaction();
                inner.table("t").insert({{"name", "inner"}});
                innerCommits ? inner.commit() : inner.rollback();
                throw std::runtime_error("the outer savepoint fails after the inner one completed");
            }), std::runtime_error);
        });
        EXPECT_EQ(names(), (std::vector<std::string>{"outside"})) << (innerCommits ? "inner committed" : "inner rolled back");
    }
}

// A unique violation in every savepoint position: tests/faults_test.cpp

// ---- a transaction in which a statement failed never reports a commit ----

TEST_P(TransactionTest, ACommitAfterACaughtFailureThrowsAndKeepsNothing) {
    Transaction trx = db->transaction();
    trx.table("t").insert({{"name", "a"}});
    EXPECT_THROW(trx.table("t").insert({{"name", nullptr}}), QueryError);  // caught by the application
    // PostgreSQL refuses every statement until the rollback; lucid does the same on SQLite
    EXPECT_THROW(trx.table("t").insert({{"name", "b"}}), QueryError);
    EXPECT_THROW(trx.transaction(), QueryError);
    try {
        trx.commit();
        FAIL() << "the commit of a failed transaction reported success";
    } catch (const QueryError& e) {
        EXPECT_NE(std::string(e.what()).find("rolled back"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(trx.isCompleted());
    EXPECT_EQ(rows(), 0);
    db->table("t").insert({{"name", "next"}});  // the connection went back to the pool usable
    EXPECT_EQ(names(), (std::vector<std::string>{"next"}));
}

TEST_P(TransactionTest, AManagedTransactionWithACaughtFailureThrows) {
    EXPECT_THROW(db->transaction([](Transaction& trx) {
        trx.table("t").insert({{"name", "a"}});
        try {
            trx.rawQuery("select * from no_such_table");
        } catch (const QueryError&) {
        }
    }), QueryError);
    EXPECT_EQ(rows(), 0);
    EXPECT_EQ(db->transaction([](Transaction& trx) { return trx.table("t").insert({{"name", "b"}}); }) > 0, true);
    EXPECT_EQ(names(), (std::vector<std::string>{"b"}));
}

TEST_P(TransactionTest, AFailureInARolledBackSavepointDoesNotPoisonTheTransaction) {
    db->transaction([](Transaction& trx) {
        trx.table("t").insert({{"name", "a"}});
        EXPECT_THROW(trx.transaction([](Transaction& sp) {
            sp.table("t").insert({{"name", "in savepoint"}});
            sp.table("t").insert({{"name", nullptr}});
        }), QueryError);
        Transaction manual = trx.transaction();
        EXPECT_THROW(manual.rawQuery("select * from no_such_table"), QueryError);
        manual.rollback();
        trx.table("t").insert({{"name", "b"}});
    });
    EXPECT_EQ(names(), (std::vector<std::string>{"a", "b"}));
}

// API.md §15: isolation levels reach the server (PostgreSQL); SQLite accepts them (always serializable).
TEST_P(TransactionTest, IsolationLevels) {
    const std::vector<std::pair<IsolationLevel, std::string>> levels = {{IsolationLevel::ReadUncommitted, "read uncommitted"},
                                                                         {IsolationLevel::ReadCommitted, "read committed"},
                                                                         {IsolationLevel::RepeatableRead, "repeatable read"},
                                                                         {IsolationLevel::Serializable, "serializable"}};
    for (const auto& [level, name] : levels) {
        std::string reported = db->transaction(
            [&](Transaction& trx) {
                trx.table("t").insert({{"name", name}});
                return isPostgres() ? trx.rawQuery("show transaction isolation level")[0].get<std::string>("transaction_isolation") : name;
            },
            {.isolationLevel = level});
        EXPECT_EQ(reported, name);
        Transaction manual = db->transaction({.isolationLevel = level});
        manual.table("t").insert({{"name", name + "!"}});
        manual.commit();
    }
    EXPECT_EQ(rows(), 8);
    Transaction trx = db->transaction();
    EXPECT_THROW(trx.transaction({.isolationLevel = IsolationLevel::Serializable}), Error);  // a savepoint has no level of its own
}

// Repeatable read on PostgreSQL: a row changed by another transaction since this one's snapshot cannot be
// updated; the error is a QueryError and nothing of the failed transaction is kept.
TEST_P(TransactionTest, RepeatableReadRefusesAConcurrentUpdate) {
    db->table("t").insert({{"name", "x"}});
    if (!isPostgres()) GTEST_SKIP() << "SQLite runs one write transaction at a time: there is no concurrent update to refuse";
    Database other(GetParam());
    Transaction a = db->transaction({.isolationLevel = IsolationLevel::RepeatableRead});
    EXPECT_EQ(a.from("t").count(), 1);  // the snapshot is taken
    other.from("t").where("name", "x").update({{"name", "y"}});
    EXPECT_THROW(a.from("t").where("name", "x").update({{"name", "z"}}), QueryError);
    EXPECT_THROW(a.commit(), QueryError);
    EXPECT_EQ(names(), (std::vector<std::string>{"y"}));
}

TEST_P(TransactionTest, AfterCommitAndRollback) {
    std::vector<std::string> log;
    std::optional<int64_t> seen;
    Database other(isPostgres() ? GetParam() : "sqlite::memory:");
    db->transaction([&](Transaction& trx) {
        trx.after("commit", [&] { log.emplace_back("first"); });
        trx.table("t").insert({{"name", "a"}});
        trx.after("commit", [&] { seen = db->from("t").count(); });  // the data is committed by then
        trx.after("rollback", [&] { log.emplace_back("not run"); });
        EXPECT_TRUE(log.empty());
    });
    EXPECT_EQ(log, (std::vector<std::string>{"first"}));
    EXPECT_EQ(seen, 1);
    log.clear();
    EXPECT_THROW(db->transaction([&](Transaction& trx) {
        trx.after("rollback", [&] { log.emplace_back("rollback"); });
        trx.after("commit", [&] { log.emplace_back("not run"); });
        throw std::runtime_error("undo");
    }), std::runtime_error);
    {
        Transaction abandoned = db->transaction();
        abandoned.after("rollback", [&] { log.emplace_back("abandoned"); });
    }
    Transaction manual = db->transaction();
    manual.after("commit", [&] { log.emplace_back("manual"); });
    manual.commit();
    EXPECT_EQ(log, (std::vector<std::string>{"rollback", "abandoned", "manual"}));
    Transaction trx = db->transaction();
    EXPECT_THROW(trx.after("comit", [] {}), Error);
    EXPECT_THROW(trx.after("", [] {}), Error);
    trx.rollback();
    EXPECT_THROW(trx.after("commit", [] {}), Error);  // completed
}

// A savepoint's "commit" callbacks wait for the outermost commit and go if an enclosing level rolls back;
// its "rollback" callbacks run when it, or a level holding it, rolls back.
TEST_P(TransactionTest, AfterCallbacksOfSavepoints) {
    std::vector<std::string> log;
    Transaction trx = db->transaction();
    trx.transaction([&](Transaction& sp) {
        sp.after("commit", [&] { log.emplace_back("savepoint"); });
        sp.transaction([&](Transaction& nested) { nested.after("commit", [&] { log.emplace_back("nested"); }); });
    });
    EXPECT_TRUE(log.empty());  // released, not committed
    EXPECT_THROW(trx.transaction([&](Transaction& sp) {
        sp.after("rollback", [&] { log.emplace_back("savepoint rollback"); });
        sp.after("commit", [&] { log.emplace_back("dropped"); });
        throw std::runtime_error("undo the savepoint");
    }), std::runtime_error);
    EXPECT_EQ(log, (std::vector<std::string>{"savepoint rollback"}));
    Transaction middle = trx.transaction();
    middle.transaction([&](Transaction& inner) {
        inner.after("commit", [&] { log.emplace_back("inner: dropped with middle"); });
        inner.after("rollback", [&] { log.emplace_back("inner rolled back with middle"); });
    });
    Transaction innermost = middle.transaction();
    innermost.after("rollback", [&] { log.emplace_back("innermost"); });
    middle.rollback();  // innermost is still open: it goes with middle
    EXPECT_TRUE(innermost.isCompleted());
    trx.after("commit", [&] { log.emplace_back("outer"); });
    trx.commit();
    EXPECT_EQ(log, (std::vector<std::string>{"savepoint rollback", "inner rolled back with middle", "innermost", "savepoint", "nested",
                                             "outer"}));
}

// A commit refused because a statement failed runs the rollback callbacks, never the commit ones.
TEST_P(TransactionTest, ARefusedCommitRunsTheRollbackCallbacks) {
    std::vector<std::string> log;
    Transaction trx = db->transaction();
    trx.after("commit", [&] { log.emplace_back("commit"); });
    trx.after("rollback", [&] { log.emplace_back("rollback"); });
    trx.table("t").insert({{"name", "a"}});
    EXPECT_THROW(trx.table("t").insert({{"name", nullptr}}), QueryError);
    EXPECT_THROW(trx.commit(), QueryError);
    EXPECT_EQ(log, (std::vector<std::string>{"rollback"}));
    EXPECT_EQ(rows(), 0);
}

LUCID_DB_TEST_SUITE(TransactionTest);
