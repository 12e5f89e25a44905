// timeout() (API.md §12): a statement past its time is cancelled on the server (PostgreSQL) or
// interrupted (SQLite) with lucid::QueryTimeout, and the connection serves the next call.
#include "support/db_test.hpp"

#include <chrono>
#include <thread>

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

// A cursor's limit runs from its start to its last row: a statement still producing rows is stopped
// with QueryTimeout, after the rows it gave in time, and nothing is left running.
TEST_P(TimeoutTest, ACursorIsStoppedWhileItStillReads) {
    // "items" as a CTE of a billion rows, shadowing the table for the model's query
    auto anchor = db->query();
    anchor.selectRaw("1 as id, 'x' as name");
    auto step = db->from("items");
    step.selectRaw("id + 1, name").where("id", "<", 1000000000);
    const auto start = std::chrono::steady_clock::now();
    int64_t rows = 0;
    try {
        for (Item& item : Item::query().withRecursive("items", anchor.unionAll(step)).timeout(300ms).cursor()) {
            ASSERT_EQ(item.id, ++rows);
            if (std::chrono::steady_clock::now() - start > 60s) {  // a guard against a hang, not a measure
                ADD_FAILURE() << "the cursor read on past its timeout";
                break;
            }
        }
        ADD_FAILURE() << "the cursor ended without QueryTimeout, after " << rows << " rows";
    } catch (const QueryTimeout& e) {
        EXPECT_EQ(e.code(), "E_QUERY_TIMEOUT");
        EXPECT_NE(e.sql().find("recursive"), std::string::npos) << e.sql();
    }
    EXPECT_GT(rows, 0);
    EXPECT_EQ(db->from("items").count(), 1);  // the connection serves the next call
    if (isPostgres()) {
        EXPECT_EQ(db->rawQuery("select pid from pg_stat_activity where query like ? and state = ? and pid <> pg_backend_pid()",
                               {"%with recursive%", "active"})
                      .size(),
                  0u);
    }
}

// The loop's own time counts: rows asked of the database after the limit are refused.
TEST_P(TimeoutTest, ACursorsLimitCountsTheLoopsTime) {
    db->table("items").insertMany({{{"name", "b"}}, {{"name", "c"}}});
    std::vector<std::string> seen;
    try {
        for (Item& item : Item::query().orderBy(&Item::id).timeout(250ms).cursor()) {
            seen.push_back(item.name);
            std::this_thread::sleep_for(200ms);
        }
        ADD_FAILURE() << "the cursor ended without QueryTimeout";
    } catch (const QueryTimeout& e) {
        EXPECT_EQ(e.code(), "E_QUERY_TIMEOUT");
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b"}));  // the third row was asked for at 400 ms
    // within its time, a cursor reads to the end; the limit does not outlive it
    seen.clear();
    for (Item& item : Item::query().orderBy(&Item::id).timeout(5000ms).cursor()) seen.push_back(item.name);
    EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(db->from("items").count(), 3);
    // inside a transaction too (a server cursor on PostgreSQL): the limit is the statement's, not each FETCH's
    db->transaction([&](Transaction& trx) {
        auto anchor = trx.query();
        anchor.selectRaw("1 as id, 'x' as name");
        auto step = trx.from("items");
        step.selectRaw("id + 1, name").where("id", "<", 1000000000);
        int64_t rows = 0;
        EXPECT_THROW(
            {
                for (Item& item : Item::query(trx).withRecursive("items", anchor.unionAll(step)).timeout(300ms).cursor()) {
                    rows = item.id;
                    if (rows > 200000000) break;  // a guard against a hang
                }
            },
            QueryTimeout);
        EXPECT_GT(rows, 0);
        EXPECT_LT(rows, 200000000);
        trx.rollback();
    });
}

LUCID_DB_TEST_SUITE(TimeoutTest);
