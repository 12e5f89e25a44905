#include "support/db_test.hpp"

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

LUCID_DB_TEST_SUITE(TransactionTest);
