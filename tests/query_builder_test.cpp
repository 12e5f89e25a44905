#include "support/db_test.hpp"

#include <limits>

using namespace lucid;
using lucid_test::DbTest;

class QueryBuilderTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users"});
        db->schema().createTable("users", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.timestamps();
        });
        db->schema().createTable("posts", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("title");
        });
        for (int i = 1; i <= 5; ++i) db->table("users").insert({{"email", "u" + std::to_string(i) + "@x.com"}, {"points", i * 10}});
        db->table("posts").insert({{"user_id", 1}, {"title", "a"}});
        db->table("posts").insert({{"user_id", 1}, {"title", "b"}});
        db->table("posts").insert({{"user_id", 3}, {"title", "c"}});
    }
};

TEST_P(QueryBuilderTest, InsertReturnsTheNewIdAndFirstFindsIt) {
    int64_t id = db->table("users").insert({{"email", "a@b.c"}, {"points", 0}});
    EXPECT_EQ(id, 6);
    auto row = db->from("users").where("id", id).first();
    ASSERT_TRUE(row);
    EXPECT_EQ(row->get<std::string>("email"), "a@b.c");
    EXPECT_FALSE(db->from("users").where("id", 999).first());
    EXPECT_EQ(db->table("users").insertReturning({{"email", "r@x"}}, "email").as<std::string>(), "r@x");
}

TEST_P(QueryBuilderTest, FiltersOrdersAndLimits) {
    Result rows = db->from("users").where("points", ">", 10).orderBy("id", Desc).limit(2).exec();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].get<int64_t>("id"), 5);
    EXPECT_EQ(rows[1].get<int64_t>("id"), 4);
    EXPECT_EQ(db->from("users").whereIn("id", {1, 2, 9}).count(), 2);
    EXPECT_EQ(db->from("users").whereNotIn("id", {1, 2}).count(), 3);
    EXPECT_EQ(db->from("users").whereBetween("points", 20, 40).count(), 3);
    EXPECT_EQ(db->from("users").whereNotBetween("points", 20, 40).count(), 2);
    EXPECT_EQ(db->from("users").whereLike("email", "u1%").count(), 1);
    EXPECT_EQ(db->from("users").whereILike("email", "U1%").count(), 1);
    EXPECT_EQ(db->from("users").whereNull("created_at").count(), 5);
    EXPECT_EQ(db->from("users").whereNotNull("created_at").count(), 0);
    EXPECT_EQ(db->from("users").where("id", 1).orWhere("id", 2).count(), 2);
    EXPECT_EQ(db->from("users").whereNot("id", 1).count(), 4);
    EXPECT_EQ(db->from("users").where("points", ">", 30).orWhere([](QueryBuilder& q) { q.where("id", 1).where("points", 10); }).count(), 3);
    EXPECT_EQ(db->from("users").whereRaw("points % ? = 0", {20}).count(), 2);
    EXPECT_EQ(db->from("users").whereColumn("id", "<", "points").count(), 5);
    EXPECT_EQ(db->from("users").offset(3).orderBy("id").exec().size(), 2u);
}

TEST_P(QueryBuilderTest, ExistsJoinsGroupsAndAggregates) {
    auto withPosts = db->from("users").whereExists([](QueryBuilder& q) {
        q.from("posts").whereColumn("posts.user_id", "=", "users.id");
    }).orderBy("id").exec();
    ASSERT_EQ(withPosts.size(), 2u);
    EXPECT_EQ(withPosts[1].get<int64_t>("id"), 3);
    EXPECT_EQ(db->from("users").whereNotExists([](QueryBuilder& q) {
        q.from("posts").whereColumn("posts.user_id", "=", "users.id");
    }).count(), 3);
    Result joined = db->from("posts").join("users", "users.id", "posts.user_id").select("posts.title", "users.email")
                        .orderBy("posts.id").exec();
    ASSERT_EQ(joined.size(), 3u);
    EXPECT_EQ(joined[2].get<std::string>("email"), "u3@x.com");
    Result left = db->from("users").leftJoin("posts", "posts.user_id", "=", "users.id").select("users.id").exec();
    EXPECT_EQ(left.size(), 6u);
    Result grouped = db->from("posts").select("user_id").selectRaw("count(*) as n").groupBy("user_id")
                         .having("user_id", ">", 0).orderBy("user_id").exec();
    ASSERT_EQ(grouped.size(), 2u);
    EXPECT_EQ(grouped[0].get<int64_t>("n"), 2);
    EXPECT_EQ(db->from("posts").select("user_id").distinct().count(), 2);
    EXPECT_EQ(db->from("users").sum("points").as<int64_t>(), 150);
    EXPECT_DOUBLE_EQ(db->from("users").avg("points").as<double>(), 30.0);
    EXPECT_EQ(db->from("users").min("points").as<int64_t>(), 10);
    EXPECT_EQ(db->from("users").max("points").as<int64_t>(), 50);
    EXPECT_TRUE(db->from("users").where("id", 99).max("points").isNull());
}

TEST_P(QueryBuilderTest, UpdateDeleteIncrement) {
    EXPECT_EQ(db->from("users").where("id", 1).update({{"points", 5}}), 1);
    EXPECT_EQ(db->from("users").where("id", 1).first()->get<int64_t>("points"), 5);
    EXPECT_EQ(db->from("users").where("points", ">=", 30).increment("points", 2), 3);
    EXPECT_EQ(db->from("users").where("id", 5).first()->get<int64_t>("points"), 52);
    EXPECT_EQ(db->from("users").where("id", 5).decrement("points"), 1);
    EXPECT_EQ(db->from("users").where("id", 5).first()->get<int64_t>("points"), 51);
    EXPECT_EQ(db->from("users").where("id", ">", 3).del(), 2);
    EXPECT_EQ(db->from("users").count(), 3);
}

TEST_P(QueryBuilderTest, Paginate) {
    Page<Row> page = db->from("users").orderBy("id").paginate(2, 2);
    EXPECT_EQ(page.total(), 5);
    EXPECT_EQ(page.perPage(), 2);
    EXPECT_EQ(page.currentPage(), 2);
    EXPECT_EQ(page.lastPage(), 3);
    ASSERT_EQ(page.items().size(), 2u);
    EXPECT_EQ(page.items()[0].get<int64_t>("id"), 3);
    EXPECT_THROW(db->from("users").paginate(0), Error);
}

// Page arithmetic near int64_t's end: a clear error, never a wrapped (negative) offset served as page 1.
TEST_P(QueryBuilderTest, PaginateRefusesOffsetsPastInt64) {
    const int64_t big = std::numeric_limits<int64_t>::max();
    EXPECT_THROW(db->from("users").paginate(big, 20), Error);
    EXPECT_THROW(db->from("users").paginate(3, big), Error);
    try {
        db->from("users").paginate(big, 20);
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_PAGE");
    }
    Page<Row> one = db->from("users").paginate(1, big);  // the first page of any size starts at 0
    EXPECT_EQ(one.items().size(), 5u);
    EXPECT_EQ(one.lastPage(), 1);
    EXPECT_FALSE(one.hasMorePages());
    Page<Row> last = db->from("users").orderBy("id").paginate(big / 20, 20);  // a far page: empty, no overflow
    EXPECT_TRUE(last.isEmpty());
    EXPECT_EQ(last.lastPage(), 1);
}

TEST_P(QueryBuilderTest, LongInListsAndInsertMany) {
    std::vector<Attributes> rows;
    for (int i = 0; i < 40000; ++i) rows.push_back({{"user_id", i}, {"title", "t" + std::to_string(i)}});
    EXPECT_EQ(db->table("posts").insertMany(rows), 40000);
    Bindings ids;
    for (int i = 0; i < 70000; ++i) ids.push_back(i);
    EXPECT_EQ(db->from("posts").whereIn("user_id", ids).count(), 40003);
    Bindings titles{"t1", "t2", "it's \"quoted\""};
    for (int i = 0; i < 2000; ++i) titles.push_back("x" + std::to_string(i));
    EXPECT_EQ(db->from("posts").whereIn("title", titles).count(), 2);
}

// A long IN list (one list binding) matches exactly the rows a short one (a binding each) matches: also
// blobs, and on SQLite text holding a NUL byte (json_each() would cut it short).
TEST_P(QueryBuilderTest, LongInListsMatchWhatShortOnesMatch) {
    dropTables({"files"});
    db->schema().createTable("files", [](TableBuilder& t) {
        t.increments("id");
        t.string("name").nullable();
        t.binary("data").nullable();
    });
    const Blob bytes{std::byte{0}, std::byte{0xff}, std::byte{'a'}};
    db->table("files").insert({{"data", bytes}});
    Bindings blobs{bytes};
    EXPECT_EQ(db->from("files").whereIn("data", blobs).count(), 1);
    for (int i = 0; i < 1500; ++i) blobs.push_back(Blob{std::byte(i % 256), std::byte(1)});
    EXPECT_EQ(db->from("files").whereIn("data", blobs).count(), 1);
    if (isPostgres()) return;  // PostgreSQL text cannot hold a NUL byte at all (a QueryError says so)
    const std::string nul("a\0b", 3);
    db->table("files").insert({{"name", nul}});
    Bindings names{nul};
    EXPECT_EQ(db->from("files").whereIn("name", names).count(), 1);
    for (int i = 0; i < 1500; ++i) names.push_back("n" + std::to_string(i));
    EXPECT_EQ(db->from("files").whereIn("name", names).count(), 1);
    // text that is not UTF-8 (SQLite keeps any bytes): JSON cannot carry it, a placeholder each can
    const std::string latin1("caf\xe9");
    db->table("files").insert({{"name", latin1}});
    names.push_back(latin1);
    EXPECT_EQ(db->from("files").whereIn("name", names).count(), 2);
    names.push_back("a");  // the text before the NUL is another value
    EXPECT_EQ(db->from("files").whereIn("name", Bindings{std::string("a")}).count(), 0);
    EXPECT_EQ(db->from("files").whereNotIn("name", names).count(), 0);
}

TEST_P(QueryBuilderTest, ToSqlUsesTheDialect) {
    auto [sql, bindings] = db->from("users").whereIn("id", {1, 2}).toSQL();
    EXPECT_EQ(sql, isPostgres() ? "select * from \"users\" where \"id\" in ($1, $2)" : "select * from \"users\" where \"id\" in (?, ?)");
    EXPECT_EQ(bindings.size(), 2u);
}

LUCID_DB_TEST_SUITE(QueryBuilderTest);
