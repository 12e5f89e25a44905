// The samples of docs/transactions.md: scripts/docs_snippets.py copies each snippet region of this
// file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace transactions_guide {

// [snippet:helper]
int64_t addUser(lucid::QueryClient& client, const std::string& email) {
    return client.table("users").insert({{"email", email}});
}
// [end-snippet]

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class TransactionsGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users", "t", "accounts"});
        auto schema = db->schema();
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
        });
        schema.createTable("profiles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").notNullable().references("users.id").onDelete("cascade");
            t.string("avatar_url").notNullable();
        });
        schema.createTable("t", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
        });
        schema.createTable("accounts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("balance").notNullable();
        });
        db->table("accounts").insert({{"balance", 100}});
        db->table("accounts").insert({{"balance", 100}});
    }
    std::vector<std::string> names() {
        std::vector<std::string> out;
        for (const lucid::Row& row : db->from("t").orderBy("id").exec()) out.push_back(row.get<std::string>("name"));
        return out;
    }
    int64_t balance(int64_t id) { return db->from("accounts").where("id", id).first()->get<int64_t>("balance"); }
};

}  // namespace transactions_guide

using namespace transactions_guide;

TEST_P(TransactionsGuide, ManagedCommitsAndReturns) {
    lucid::Database& db = *this->db;
    // [snippet:managed]
    int64_t userId = db.transaction([](lucid::Transaction& trx) {
        int64_t id = trx.table("users").insert({{"email", "ada@example.com"}});
        trx.table("profiles").insert({{"user_id", id}, {"avatar_url", "ada.png"}});
        return id;                                    // committed, then returned
    });
    // [end-snippet]
    EXPECT_EQ(userId, 1);
    EXPECT_EQ(db.from("users").count(), 1);
    EXPECT_EQ(db.from("profiles").where("user_id", userId).first()->get<std::string>("avatar_url"), "ada.png");
}

TEST_P(TransactionsGuide, ManagedRollsBackOnThrow) {
    lucid::Database& db = *this->db;
    int failed = 0;
    lucid::QuerySubscription sub = db.onQuery([&](const lucid::QueryEvent& e) { failed += e.failed; });
    // [snippet:managed-rollback]
    try {
        db.transaction([](lucid::Transaction& trx) {
            trx.table("t").insert({{"name", "a"}});
            trx.table("t").insert({{"name", nullptr}});   // NOT NULL violation: QueryError
        });
    } catch (const lucid::QueryError& e) {
        // nothing was written: the first insert was rolled back too
    }
    // [end-snippet]
    EXPECT_EQ(failed, 1);
    EXPECT_EQ(db.from("t").count(), 0);

    // Any exception counts, and is rethrown unchanged.
    struct Abandon {};
    EXPECT_THROW(db.transaction([](lucid::Transaction& trx) {
        trx.table("t").insert({{"name", "a"}});
        throw Abandon{};
    }), Abandon);
    EXPECT_EQ(db.from("t").count(), 0);
    // A callable that completes the transaction itself: that stands.
    db.transaction([](lucid::Transaction& trx) {
        trx.table("t").insert({{"name", "kept"}});
        trx.commit();
    });
    db.transaction([](lucid::Transaction& trx) {
        trx.table("t").insert({{"name", "dropped"}});
        trx.rollback();
    });
    EXPECT_EQ(names(), std::vector<std::string>{"kept"});
}

TEST_P(TransactionsGuide, Manual) {
    lucid::Database& db = *this->db;
    const int64_t from = 1, to = 2, amount = 30;
    // [snippet:manual]
    lucid::Transaction trx = db.transaction();
    try {
        trx.table("accounts").where("id", from).decrement("balance", amount);
        trx.table("accounts").where("id", to).increment("balance", amount);
        trx.commit();
    } catch (...) {
        trx.rollback();
        throw;
    }
    // [end-snippet]
    EXPECT_TRUE(trx.isCompleted());
    EXPECT_EQ(balance(from), 70);
    EXPECT_EQ(balance(to), 130);

    // Completed: any further use throws.
    for (auto use : std::vector<void (*)(lucid::Transaction&)>{
             [](lucid::Transaction& t) { t.rawQuery("select 1"); },
             [](lucid::Transaction& t) { t.commit(); },
             [](lucid::Transaction& t) { t.rollback(); },
             [](lucid::Transaction& t) { t.transaction(); }}) {
        try {
            use(trx);
            ADD_FAILURE() << "a completed transaction was usable";
        } catch (const lucid::Error& e) {
            EXPECT_EQ(e.code(), "E_TRANSACTION_COMPLETED");
        }
    }

    // Destroyed while open: rolled back.
    {
        lucid::Transaction open = db.transaction();
        open.table("accounts").where("id", from).update({{"balance", 0}});
    }
    EXPECT_EQ(balance(from), 70);
    // Moving hands over the ownership; assigning over an open transaction rolls that one back.
    lucid::Transaction first = db.transaction();
    first.table("t").insert({{"name", "first"}});
    lucid::Transaction moved = std::move(first);
    EXPECT_TRUE(first.isCompleted());
    moved.commit();
    EXPECT_EQ(names(), std::vector<std::string>{"first"});
    if (isPostgres()) {  // two transactions at once: sqlite::memory: has one connection
        lucid::Transaction target = db.transaction();
        target.table("t").insert({{"name", "overwritten"}});
        target = db.transaction();
        target.table("t").insert({{"name", "second"}});
        target.commit();
        EXPECT_EQ(names(), (std::vector<std::string>{"first", "second"}));
    }
}

TEST_P(TransactionsGuide, Savepoints) {
    lucid::Database& db = *this->db;
    lucid_test::QueryCounter queries(db);
    std::vector<std::pair<std::string, bool>> events;  // sql, inTransaction
    lucid::QuerySubscription sub = db.onQuery([&](const lucid::QueryEvent& e) { events.emplace_back(e.sql, e.inTransaction); });
    // [snippet:savepoints]
    db.transaction([](lucid::Transaction& trx) {
        trx.table("t").insert({{"name", "outer"}});

        try {
            trx.transaction([](lucid::Transaction& sp) {       // managed savepoint
                sp.table("t").insert({{"name", "inner"}});
                throw std::runtime_error("undo the inner part only");
            });
        } catch (const std::runtime_error&) {}

        lucid::Transaction manual = trx.transaction();          // manual savepoint
        manual.table("t").insert({{"name", "maybe"}});
        manual.rollback();

        // only "outer" is left, and it commits with trx
    });
    // [end-snippet]
    sub.unsubscribe();
    EXPECT_EQ(names(), std::vector<std::string>{"outer"});
    // Savepoints on the wire, and every statement of the transaction flagged in the events.
    int savepoints = 0, rollbacksTo = 0;
    for (const std::string& sql : queries.sqls) {
        savepoints += sql.starts_with("savepoint lucid_sp_");
        rollbacksTo += sql.starts_with("rollback to savepoint lucid_sp_");
    }
    EXPECT_EQ(savepoints, 2);
    EXPECT_EQ(rollbacksTo, 2);
    ASSERT_FALSE(events.empty());
    EXPECT_TRUE(std::all_of(events.begin(), events.end(), [](const auto& e) { return e.second; }));
    EXPECT_TRUE(events.front().first.starts_with("begin")) << events.front().first;
    EXPECT_EQ(events.back().first, "commit");

    // A committed savepoint is lost when the outer transaction rolls back; its savepoints complete with it.
    {
        lucid::Transaction outer = db.transaction();
        lucid::Transaction inner = outer.transaction();
        inner.table("t").insert({{"name", "released"}});
        inner.commit();
        lucid::Transaction open = outer.transaction();
        outer.rollback();
        EXPECT_TRUE(open.isCompleted());
    }  // (the savepoint handles hold the pooled connection until they are destroyed)
    EXPECT_EQ(names(), std::vector<std::string>{"outer"});
}

TEST_P(TransactionsGuide, AFailedStatementInsideATransaction) {
    lucid::Database& db = *this->db;
    db.table("users").insert({{"email", "taken@x.com"}});
    // "current transaction is aborted" until a rollback, on both databases; the commit rolls back and throws
    EXPECT_THROW(db.transaction([&](lucid::Transaction& trx) {
        EXPECT_THROW(trx.table("users").insert({{"email", "taken@x.com"}}), lucid::QueryError);
        EXPECT_THROW(trx.table("users").insert({{"email", "next@x.com"}}), lucid::QueryError);
    }), lucid::QueryError);
    EXPECT_EQ(db.from("users").where("email", "next@x.com").count(), 0);
    // With a savepoint, the outer transaction carries on on both databases.
    db.transaction([](lucid::Transaction& trx) {
        try {
            trx.transaction([](lucid::Transaction& sp) { sp.table("users").insert({{"email", "taken@x.com"}}); });
        } catch (const lucid::QueryError&) {}
        trx.table("users").insert({{"email", "after@x.com"}});
    });
    EXPECT_EQ(db.from("users").where("email", "after@x.com").count(), 1);
}

TEST_P(TransactionsGuide, WhichConnection) {
    lucid::Database& db = *this->db;
    bool threw = false;
    try {
        // [snippet:which-connection]
        db.transaction([&](lucid::Transaction& trx) {
            trx.from("users").count();      // inside the transaction
            db.from("users").count();       // outside it: another connection, or ConnectionError
        });
        // [end-snippet]
    } catch (const lucid::ConnectionError& e) {
        threw = true;
        EXPECT_TRUE(contains(e.what(), "held by this thread")) << e.what();
    }
    EXPECT_EQ(threw, !isPostgres());  // sqlite::memory: has exactly one connection

    if (isPostgres()) {
        // Another connection: it does not see the uncommitted rows, and it is not rolled back with them.
        db.transaction([&](lucid::Transaction& trx) {
            trx.table("users").insert({{"email", "inside@x.com"}});
            db.table("users").insert({{"email", "outside@x.com"}});
            EXPECT_EQ(trx.from("users").count(), 2);
            EXPECT_EQ(db.from("users").count(), 1);
            trx.rollback();
        });
        EXPECT_EQ(db.from("users").count(), 1);
        EXPECT_EQ(db.from("users").first()->get<std::string>("email"), "outside@x.com");
    }
    // A named connection's transaction.
    db.connection("primary").transaction([](lucid::Transaction& trx) { trx.table("t").insert({{"name", "named"}}); });
    EXPECT_EQ(names(), std::vector<std::string>{"named"});
}

TEST_P(TransactionsGuide, ClientHelpers) {
    lucid::Database& db = *this->db;
    // [snippet:helper-calls]
    addUser(db, "a@x.com");                                                  // on its own
    db.transaction([](lucid::Transaction& trx) { addUser(trx, "b@x.com"); }); // in a transaction
    // [end-snippet]
    EXPECT_EQ(db.from("users").orderBy("id").exec().size(), 2u);
    EXPECT_THROW(db.transaction([](lucid::Transaction& trx) {
        addUser(trx, "c@x.com");
        throw std::runtime_error("abandon");
    }), std::runtime_error);
    EXPECT_EQ(db.from("users").where("email", "c@x.com").count(), 0);
}

TEST_P(TransactionsGuide, LockingRows) {
    lucid::Database& db = *this->db;
    const int64_t id = 1;
    lucid_test::QueryCounter queries(db);
    // [snippet:for-update]
    db.transaction([&](lucid::Transaction& trx) {
        auto row = trx.from("accounts").where("id", id).forUpdate().first();
        trx.from("accounts").where("id", id).update({{"balance", row->get<int64_t>("balance") - 10}});
    });
    // [end-snippet]
    EXPECT_EQ(balance(id), 90);
    auto select = std::find_if(queries.sqls.begin(), queries.sqls.end(), [](const std::string& s) { return s.starts_with("select"); });
    ASSERT_NE(select, queries.sqls.end());
    EXPECT_EQ(select->ends_with(" for update"), isPostgres()) << *select;
}

TEST_P(TransactionsGuide, IsolationLevelsAndAfterCallbacks) {
    lucid::Database& db = *this->db;
    std::vector<std::string> sent;
    auto sendEmail = [&] { sent.emplace_back("welcome"); };
    // [snippet:isolation]
    db.transaction([&](lucid::Transaction& trx) {
        trx.from("accounts").where("id", 1).decrement("balance", 10);
    }, {.isolationLevel = lucid::IsolationLevel::Serializable});

    lucid::Transaction trx = db.transaction({.isolationLevel = lucid::IsolationLevel::RepeatableRead});
    // [end-snippet]
    if (isPostgres()) {
        EXPECT_EQ(trx.rawQuery("show transaction isolation level").begin()->get<std::string>("transaction_isolation"), "repeatable read");
    }
    trx.rollback();
    EXPECT_EQ(balance(1), 90);
    // [snippet:after]
    db.transaction([&](lucid::Transaction& trx) {
        addUser(trx, "new@x.com");
        trx.after("commit", sendEmail);                         // once the outermost transaction committed
        trx.after("rollback", [] { /* undo what was done outside the database */ });
    });
    // [end-snippet]
    EXPECT_EQ(sent, (std::vector<std::string>{"welcome"}));
}

LUCID_DB_TEST_SUITE(TransactionsGuide);
