// timeout() (API.md §12): a statement past its time is cancelled on the server (PostgreSQL) or
// interrupted (SQLite) with lucid::QueryTimeout, and the connection serves the next call.
#include "support/db_test.hpp"

#include <chrono>

using namespace lucid;
using namespace std::chrono_literals;
using lucid_test::DbTest;

namespace timeouts {
struct Item : BaseModel<Item> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Item>& m) {
        m.column(&Item::id, "id", {.isPrimary = true});
        m.column(&Item::name, "name");
    }
};
}  // namespace timeouts
using timeouts::Item;

class TimeoutTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"items"});
        db->schema().createTable("items", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        db->table("items").insert({{"name", "a"}});
    }
    // counts to a billion: minutes of work on either database
    QueryBuilder slow(QueryClient& client) {
        auto anchor = client.query();
        anchor.selectRaw("1 as x");
        auto step = client.from("c");
        step.selectRaw("x + 1").where("x", "<", 1000000000);
        auto q = client.query();
        q.withRecursive("c", anchor.unionAll(step)).from("c");
        return q;
    }
};

TEST_P(TimeoutTest, ASlowStatementIsStoppedWithQueryTimeout) {
    try {
        slow(*db).timeout(200ms).count();
        ADD_FAILURE() << "the slow statement was not stopped";
    } catch (const QueryTimeout& e) {
        EXPECT_EQ(e.code(), "E_QUERY_TIMEOUT");
        EXPECT_NE(e.sql().find("recursive"), std::string::npos) << e.sql();
    }
    // the connection (the pool's only one on SQLite in memory) serves the next call, without a limit
    EXPECT_EQ(db->from("items").count(), 1);
    if (isPostgres()) {  // cancelled on the server: no backend still runs it
        EXPECT_EQ(db->rawQuery("select pid from pg_stat_activity where query like ? and state = ? and pid <> pg_backend_pid()",
                               {"%with recursive%", "active"})
                      .size(),
                  0u);
    }
    // a statement within its time runs as usual; the model query takes the limit too
    EXPECT_EQ(db->from("items").timeout(5000ms).exec().size(), 1u);
    EXPECT_EQ(Item::query().timeout(std::chrono::milliseconds{5000}).all().size(), 1u);
    EXPECT_THROW(Item::query().whereIn(&Item::id, slow(*db).select("x")).timeout(200ms).all(), QueryTimeout);
    EXPECT_THROW(db->from("items").timeout(-1ms), Error);
}

// Inside a transaction the stopped statement fails the transaction: it cannot commit, nothing is kept.
TEST_P(TimeoutTest, ATimeoutInsideATransaction) {
    EXPECT_THROW(db->transaction([&](Transaction& trx) {
        trx.table("items").insert({{"name", "b"}});
        try {
            slow(trx).timeout(200ms).count();
        } catch (const QueryTimeout&) {
        }
    }), QueryError);
    EXPECT_EQ(db->from("items").count(), 1);
    EXPECT_EQ(db->from("items").where("name", "b").count(), 0);
}

LUCID_DB_TEST_SUITE(TimeoutTest);
