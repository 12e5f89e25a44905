// insertOrIgnore, upsert, truncate and row locks (API.md §12), on both databases; what they wrote is
// read back with raw SQL.
#include "support/db_test.hpp"

#include <thread>

using namespace lucid;
using lucid_test::DbTest;

class UpsertTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"members"});
        db->schema().createTable("members", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.integer("points").defaultTo(0);
            t.string("note").nullable();
        });
        db->table("members").insert({{"email", "a@x.com"}, {"points", 1}, {"note", "kept"}});
    }
    int64_t pointsOf(const char* email) {
        return db->rawQuery("select points from members where email = ?", {email})[0].get<int64_t>("points");
    }
};

TEST_P(UpsertTest, InsertOrIgnoreSkipsConflictingRows) {
    EXPECT_EQ(db->table("members").insertOrIgnore({{{"email", "a@x.com"}, {"points", 99}}, {{"email", "b@x.com"}, {"points", 2}}}), 1);
    EXPECT_EQ(pointsOf("a@x.com"), 1);  // the existing row is untouched
    EXPECT_EQ(pointsOf("b@x.com"), 2);
    EXPECT_EQ(db->table("members").insertOrIgnore(std::vector<Attributes>{}), 0);
    EXPECT_EQ(db->from("members").count(), 2);
}

TEST_P(UpsertTest, UpsertUpdatesOnlyTheNamedColumns) {
    EXPECT_EQ(db->table("members").upsert({{{"email", "a@x.com"}, {"points", 5}, {"note", "new"}},
                                           {{"email", "c@x.com"}, {"points", 7}, {"note", "c"}}},
                                          {"email"}, {"points"}),
              2);
    EXPECT_EQ(pointsOf("a@x.com"), 5);
    EXPECT_EQ(db->rawQuery("select note from members where email = ?", {"a@x.com"})[0].get<std::string>("note"), "kept");
    EXPECT_EQ(pointsOf("c@x.com"), 7);
    // no update columns: every inserted column but the conflict ones
    db->table("members").upsert({{{"email", "a@x.com"}, {"points", 6}, {"note", "all"}}}, {"email"}, {});
    EXPECT_EQ(db->rawQuery("select note from members where email = ?", {"a@x.com"})[0].get<std::string>("note"), "all");
    EXPECT_EQ(db->from("members").count(), 2);
    // no conflict column: refused before anything runs
    try {
        db->table("members").upsert({{{"email", "z@x.com"}}}, {}, {"points"});
        ADD_FAILURE() << "upsert without conflict columns ran";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_MISSING_CONFLICT_COLUMNS");
    }
    EXPECT_EQ(db->from("members").where("email", "z@x.com").count(), 0);
}

// Rows past one statement's bind limit go in several statements, in one transaction: all or none.
TEST_P(UpsertTest, ManyRowsAreAllOrNothing) {
    std::vector<Attributes> rows;
    for (int i = 0; i < 40000; ++i) rows.push_back({{"email", "m" + std::to_string(i) + "@x.com"}, {"points", i}});
    rows.push_back({{"email", "m1@x.com"}, {"points", 0}});  // a duplicate in the last statement
    EXPECT_THROW(db->table("members").insertMany(rows), QueryError);
    EXPECT_EQ(db->from("members").count(), 1);
    rows.pop_back();
    EXPECT_EQ(db->table("members").insertOrIgnore(rows), 40000);
    EXPECT_EQ(db->from("members").count(), 40001);
}

TEST_P(UpsertTest, TruncateRestartsTheIdentity) {
    db->table("members").insert({{"email", "b@x.com"}});
    db->truncate("members");
    EXPECT_EQ(db->from("members").count(), 0);
    EXPECT_EQ(db->table("members").insert({{"email", "new@x.com"}}), 1);
    db->transaction([](Transaction& trx) { trx.truncate("members", /*cascade=*/true); });
    EXPECT_EQ(db->rawQuery("select count(*) as n from members")[0].get<int64_t>("n"), 0);
}

// Row locks: PostgreSQL skips or refuses rows another transaction holds; SQLite, which locks the whole
// database on write, adds nothing to the SQL.
TEST_P(UpsertTest, RowLocks) {
    db->table("members").insert({{"email", "b@x.com"}});
    auto [sql, b] = db->from("members").forUpdate().skipLocked().toSQL();
    auto [shared, b2] = db->from("members").forShare().noWait().toSQL();
    if (!isPostgres()) {
        EXPECT_EQ(sql.find(" for "), std::string::npos) << sql;
        EXPECT_EQ(db->from("members").forUpdate().skipLocked().exec().size(), 2u);
        return;
    }
    EXPECT_NE(sql.find("for update skip locked"), std::string::npos) << sql;
    EXPECT_NE(shared.find("for share nowait"), std::string::npos) << shared;
    Database other(GetParam());
    Transaction holder = db->transaction();
    EXPECT_EQ(holder.from("members").where("email", "a@x.com").forUpdate().exec().size(), 1u);
    other.transaction([&](Transaction& trx) {
        Result next = trx.from("members").orderBy("id").forUpdate().skipLocked().limit(1).exec();
        ASSERT_EQ(next.size(), 1u);
        EXPECT_EQ(next[0].get<std::string>("email"), "b@x.com");  // a@x.com is held: skipped
    });
    EXPECT_THROW(other.transaction([&](Transaction& trx) { trx.from("members").where("email", "a@x.com").forUpdate().noWait().exec(); }),
                 QueryError);
    holder.rollback();
    EXPECT_EQ(other.from("members").where("email", "a@x.com").forUpdate().noWait().exec().size(), 1u);
}

LUCID_DB_TEST_SUITE(UpsertTest);
