// The samples of docs/query-builder.md: scripts/docs_snippets.py copies each snippet region of this
// file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace query_builder_guide {

// Any number of ids, as an application would load them.
lucid::Bindings loadIds() {
    lucid::Bindings ids;
    for (int i = 1; i <= 1500; ++i) ids.emplace_back(i);
    return ids;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// users 1..5 (points 10, 20, 30, 40, 0; 1 and 3 confirmed), posts of users 1 and 3.
class QueryBuilderGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users", "counters"});
        auto schema = db->schema();
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.string("name").nullable();
            t.integer("points").notNullable().defaultTo(0);
            t.timestamp("confirmed_at").nullable();
            t.timestamp("deleted_at").nullable();
        });
        schema.createTable("posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").notNullable();
            t.string("title").notNullable();
        });
        schema.createTable("counters", [](lucid::TableBuilder& t) { t.increments("id"); });
        const lucid::DateTime now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
        const std::vector<std::pair<std::string, int>> users = {{"a@x", 10}, {"b@x", 20}, {"c@x", 30}, {"d@x", 40}, {"e@x", 0}};
        for (std::size_t i = 0; i < users.size(); ++i) {
            db->table("users").insert({{"email", users[i].first},
                                       {"points", users[i].second},
                                       {"confirmed_at", i % 2 == 0 && i < 4 ? lucid::Value(now) : lucid::Value(nullptr)}});
        }
        db->table("posts").insertMany({{{"user_id", 1}, {"title", "p1"}},
                                       {{"user_id", 1}, {"title", "p2"}},
                                       {{"user_id", 3}, {"title", "p3"}}});
    }
    // The SQL of a builder, with the dialect's placeholders.
    std::string sqlOf(const lucid::QueryBuilder& q) { return q.toSQL().first; }
    std::string ph(int n) const { return isPostgres() ? "$" + std::to_string(n) : "?"; }
};

}  // namespace query_builder_guide

using namespace query_builder_guide;

TEST_P(QueryBuilderGuide, FirstAndExec) {
    lucid::Database& db = *this->db;
    // [snippet:intro]
    std::optional<lucid::Row> user = db.from("users").where("id", 1).first();

    lucid::Result top = db.from("users")
        .where("points", ">", 10)
        .orderBy("id", lucid::Desc)
        .limit(5)
        .exec();
    // [end-snippet]
    ASSERT_TRUE(user.has_value());
    EXPECT_EQ(user->get<std::string>("email"), "a@x");
    ASSERT_EQ(top.size(), 3u);
    EXPECT_EQ(top[0].get<int64_t>("id"), 4);
    EXPECT_EQ(top[2].get<int64_t>("id"), 2);
    // Identifiers are quoted, values bound.
    auto [sql, bindings] = db.from("users").select("users.id", "email as e").where("id", 1).toSQL();
    EXPECT_EQ(sql, "select \"users\".\"id\", \"email\" as \"e\" from \"users\" where \"id\" = " + ph(1));
    EXPECT_EQ(bindings, lucid::Bindings{1});
    EXPECT_EQ(sqlOf(db.table("users")), sqlOf(db.from("users")));
}

TEST_P(QueryBuilderGuide, WhereClauses) {
    lucid::Database& db = *this->db;
    // [snippet:where]
    db.from("users").where("email", "a@b.c");              // "email" = ?
    db.from("users").where("points", ">=", 10);            // "points" >= ?
    db.from("users").where("deleted_at", nullptr);         // "deleted_at" is null
    db.from("users").where("deleted_at", "!=", nullptr);   // "deleted_at" is not null
    db.from("users").whereNot("id", 1);                    // not "id" = ?
    // [end-snippet]
    const std::string base = "select * from \"users\" where ";
    EXPECT_EQ(sqlOf(db.from("users").where("email", "a@b.c")), base + "\"email\" = " + ph(1));
    EXPECT_EQ(sqlOf(db.from("users").where("points", ">=", 10)), base + "\"points\" >= " + ph(1));
    EXPECT_EQ(sqlOf(db.from("users").where("deleted_at", nullptr)), base + "\"deleted_at\" is null");
    EXPECT_EQ(sqlOf(db.from("users").where("deleted_at", "!=", nullptr)), base + "\"deleted_at\" is not null");
    EXPECT_EQ(sqlOf(db.from("users").whereNot("id", 1)), base + "not \"id\" = " + ph(1));
    EXPECT_EQ(db.from("users").where("points", ">=", 10).count(), 4);
    EXPECT_EQ(db.from("users").where("deleted_at", nullptr).count(), 5);
    EXPECT_EQ(db.from("users").whereNot("id", 1).count(), 4);
    // An "or" form of each, and the two-column comparison.
    EXPECT_EQ(db.from("users").where("id", 1).orWhere("id", 2).orWhereNull("name").count(), 5);
    EXPECT_EQ(db.from("users").whereBetween("points", 10, 30).count(), 3);
    EXPECT_EQ(db.from("users").whereNotBetween("points", 10, 30).count(), 2);
    EXPECT_EQ(sqlOf(db.from("users").whereColumn("id", "<", "points")), base + "\"id\" < \"points\"");
}

TEST_P(QueryBuilderGuide, Grouping) {
    lucid::Database& db = *this->db;
    lucid_test::QueryCounter queries(db);
    // [snippet:grouping]
    // where "points" > ? or ("id" = ? and "points" = ?)
    db.from("users")
        .where("points", ">", 30)
        .orWhere([](lucid::QueryBuilder& q) { q.where("id", 1).where("points", 10); })
        .count();
    // [end-snippet]
    ASSERT_EQ(queries.sqls.size(), 1u);
    EXPECT_TRUE(contains(queries.sqls[0], "where \"points\" > " + ph(1) + " or (\"id\" = " + ph(2) +
                                              " and \"points\" = " + ph(3) + ")"))
        << queries.sqls[0];
    EXPECT_EQ(db.from("users").where("points", ">", 30).orWhere([](lucid::QueryBuilder& q) {
        q.where("id", 1).where("points", 10);
    }).count(), 2);  // users 4 and 1
    // An unknown operator throws before any SQL runs.
    try {
        db.from("users").where("points", "=>", 1);
        FAIL() << "an unknown operator did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_OPERATOR");
    }
    EXPECT_EQ(queries.count, 2);
}

TEST_P(QueryBuilderGuide, Lists) {
    lucid::Database& db = *this->db;
    // [snippet:lists]
    db.from("users").whereIn("id", {1, 2, 3});
    lucid::Bindings ids = loadIds();                   // any size
    db.from("users").whereIn("id", ids);
    db.from("users").whereIn("id", {});                // 1 = 0: matches nothing
    db.from("users").whereNotIn("id", {});             // 1 = 1: matches everything
    // [end-snippet]
    EXPECT_EQ(db.from("users").whereIn("id", {1, 2, 3}).count(), 3);
    EXPECT_EQ(db.from("users").whereIn("id", {}).count(), 0);
    EXPECT_EQ(db.from("users").whereNotIn("id", {}).count(), 5);
    EXPECT_TRUE(contains(sqlOf(db.from("users").whereIn("id", {})), "1 = 0"));
    EXPECT_TRUE(contains(sqlOf(db.from("users").whereNotIn("id", {})), "1 = 1"));
    // A long list is one binding.
    ASSERT_EQ(ids.size(), 1500u);
    auto [sql, bindings] = db.from("users").whereIn("id", ids).toSQL();
    EXPECT_EQ(bindings.size(), 1u);
    EXPECT_TRUE(contains(sql, isPostgres() ? "\"id\" = any($1)" : "\"id\" in (select value from json_each(?))")) << sql;
    EXPECT_EQ(db.from("users").whereIn("id", ids).count(), 5);
    EXPECT_EQ(db.from("users").whereNotIn("id", ids).count(), 0);
    // The thresholds: 100 values on PostgreSQL, 1000 on SQLite.
    lucid::Bindings hundred(ids.begin(), ids.begin() + 100), hundredOne(ids.begin(), ids.begin() + 101);
    lucid::Bindings thousand(ids.begin(), ids.begin() + 1000), thousandOne(ids.begin(), ids.begin() + 1001);
    if (isPostgres()) {
        EXPECT_EQ(db.from("users").whereIn("id", hundred).toSQL().second.size(), 100u);
        EXPECT_EQ(db.from("users").whereIn("id", hundredOne).toSQL().second.size(), 1u);
    } else {
        EXPECT_EQ(db.from("users").whereIn("id", thousand).toSQL().second.size(), 1000u);
        EXPECT_EQ(db.from("users").whereIn("id", thousandOne).toSQL().second.size(), 1u);
    }
    lucid::Bindings blobs(1001, lucid::Value(lucid::Blob{std::byte{1}}));
    EXPECT_EQ(db.from("users").whereIn("id", blobs).toSQL().second.size(), 1001u);  // a placeholder each
}

TEST_P(QueryBuilderGuide, LikeAndCase) {
    lucid::Database& db = *this->db;
    EXPECT_EQ(db.from("users").whereLike("email", "A%").count(), isPostgres() ? 0 : 1);
    EXPECT_EQ(db.from("users").whereLike("email", "a%").count(), 1);
    EXPECT_EQ(db.from("users").whereILike("email", "A%").count(), 1);
}

TEST_P(QueryBuilderGuide, ExistsAndRaw) {
    lucid::Database& db = *this->db;
    // [snippet:exists]
    auto withPosts = db.from("users").whereExists([](lucid::QueryBuilder& q) {
        q.from("posts").whereColumn("posts.user_id", "=", "users.id");
    }).exec();

    db.from("users").whereRaw("points % ? = 0", {20});   // raw SQL, still bound
    // [end-snippet]
    ASSERT_EQ(withPosts.size(), 2u);
    EXPECT_EQ(withPosts[0].get<int64_t>("id"), 1);
    EXPECT_EQ(withPosts[1].get<int64_t>("id"), 3);
    auto [sql, bindings] = db.from("users").whereRaw("points % ? = 0", {20}).toSQL();
    EXPECT_EQ(sql, "select * from \"users\" where (points % " + ph(1) + " = 0)");
    EXPECT_EQ(bindings, lucid::Bindings{20});
    EXPECT_EQ(db.from("users").whereRaw("points % ? = 0", {20}).count(), 3);  // 20, 40, 0
    EXPECT_EQ(db.from("users").whereNotExists([](lucid::QueryBuilder& q) {
        q.from("posts").whereColumn("posts.user_id", "=", "users.id");
    }).count(), 3);
}

TEST_P(QueryBuilderGuide, SelectJoinGroup) {
    lucid::Database& db = *this->db;
    lucid_test::QueryCounter queries(db);
    // [snippet:select-join-group]
    db.from("posts")
        .join("users", "users.id", "posts.user_id")          // inner join, "=" implied
        .select("posts.title", "users.email as author")
        .orderBy("posts.id")
        .exec();

    db.from("users").leftJoin("posts", "posts.user_id", "=", "users.id").select("users.id").exec();

    db.from("posts")
        .select("user_id")
        .selectRaw("count(*) as n")
        .groupBy("user_id")
        .having("user_id", ">", 0)                            // also havingRaw(sql, bindings)
        .orderBy("user_id")
        .exec();

    db.from("posts").select("user_id").distinct().exec();
    db.from("users").as("u").select("u.email").exec();       // from "users" as "u"
    db.query().selectRaw("1 as one").first();               // no table at all
    // [end-snippet]
    ASSERT_EQ(queries.sqls.size(), 6u);
    EXPECT_TRUE(contains(queries.sqls[0], "inner join \"users\" on \"users\".\"id\" = \"posts\".\"user_id\"")) << queries.sqls[0];
    EXPECT_TRUE(contains(queries.sqls[1], "left join \"posts\"")) << queries.sqls[1];
    EXPECT_TRUE(contains(queries.sqls[2], "group by \"user_id\" having \"user_id\" > ")) << queries.sqls[2];
    EXPECT_TRUE(queries.sqls[3].starts_with("select distinct \"user_id\"")) << queries.sqls[3];
    EXPECT_TRUE(contains(queries.sqls[4], "from \"users\" as \"u\"")) << queries.sqls[4];

    lucid::Result joined = db.from("posts").join("users", "users.id", "posts.user_id")
                               .select("posts.title", "users.email as author").orderBy("posts.id").exec();
    ASSERT_EQ(joined.size(), 3u);
    EXPECT_EQ(joined[2].get<std::string>("title"), "p3");
    EXPECT_EQ(joined[2].get<std::string>("author"), "c@x");
    EXPECT_EQ(db.from("users").leftJoin("posts", "posts.user_id", "=", "users.id").select("users.id").exec().size(), 6u);
    lucid::Result grouped = db.from("posts").select("user_id").selectRaw("count(*) as n").groupBy("user_id")
                                .having("user_id", ">", 0).orderBy("user_id").exec();
    ASSERT_EQ(grouped.size(), 2u);
    EXPECT_EQ(grouped[0].get<int64_t>("n"), 2);
    EXPECT_EQ(grouped[1].get<int64_t>("n"), 1);
    EXPECT_EQ(db.from("posts").select("user_id").distinct().exec().size(), 2u);
    EXPECT_EQ(db.from("users").as("u").select("u.email").exec().size(), 5u);
    EXPECT_EQ(db.query().selectRaw("1 as one").first()->get<int64_t>("one"), 1);
    // clearSelect / clearOrder / clearLimit, and an offset alone.
    lucid::QueryBuilder q = db.from("users").select("id").orderBy("id", lucid::Desc).limit(1).offset(1);
    EXPECT_EQ(q.exec()[0].get<int64_t>("id"), 4);
    q.clearSelect().clearOrder().clearLimit();
    EXPECT_EQ(sqlOf(q), "select * from \"users\"");
    EXPECT_EQ(db.from("users").orderBy("id").offset(3).exec().size(), 2u);
}

TEST_P(QueryBuilderGuide, Aggregates) {
    lucid::Database& db = *this->db;
    // [snippet:aggregates]
    int64_t n     = db.from("users").where("points", ">", 10).count();
    int64_t total = db.from("users").sum("points").as<int64_t>();
    double  mean  = db.from("users").avg("points").as<double>();
    bool    none  = db.from("users").where("id", 99).max("points").isNull();

    auto [sql, bindings] = db.from("users").whereIn("id", {1, 2}).toSQL();
    // SQLite:     select * from "users" where "id" in (?, ?)
    // PostgreSQL: select * from "users" where "id" in ($1, $2)
    // [end-snippet]
    EXPECT_EQ(n, 3);
    EXPECT_EQ(total, 100);
    EXPECT_DOUBLE_EQ(mean, 20.0);
    EXPECT_TRUE(none);
    EXPECT_EQ(sql, isPostgres() ? R"(select * from "users" where "id" in ($1, $2))"
                                : R"(select * from "users" where "id" in (?, ?))");
    EXPECT_EQ(bindings, (lucid::Bindings{1, 2}));
    // Numbers on both databases, ignoring order and limit; counting the rows of a grouped query.
    EXPECT_EQ(db.from("users").min("points").as<int64_t>(), 0);
    EXPECT_EQ(db.from("users").orderBy("id").limit(1).count(), 5);
    EXPECT_EQ(db.from("posts").select("user_id").distinct().count(), 2);
    EXPECT_EQ(db.from("posts").select("user_id").groupBy("user_id").count(), 2);
}

// The guide's loop leaves its body to the reader.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-variable"
TEST_P(QueryBuilderGuide, Pagination) {
    lucid::Database& db = *this->db;
    for (int i = 0; i < 20; ++i) db.table("users").insert({{"email", "more" + std::to_string(i) + "@x"}});
    lucid_test::QueryCounter queries(db);
    int items = 0;
    // [snippet:paginate]
    lucid::Page<lucid::Row> page = db.from("users").orderBy("id").paginate(2, 10);
    for (const lucid::Row& row : page.items()) { /* ... */ }
    page.total(); page.perPage(); page.currentPage();       // total rows, 10, 2
    page.firstPage(); page.lastPage(); page.hasMorePages(); page.isEmpty();
    // [end-snippet]
    for (const lucid::Row& row : page.items()) items += row.get<int64_t>("id") > 10 && row.get<int64_t>("id") <= 20;
    EXPECT_EQ(items, 10);
    EXPECT_EQ(queries.count, 2);  // a count and the page
    EXPECT_EQ(page.total(), 25);
    EXPECT_EQ(page.perPage(), 10);
    EXPECT_EQ(page.currentPage(), 2);
    EXPECT_EQ(page.firstPage(), 1);
    EXPECT_EQ(page.lastPage(), 3);
    EXPECT_TRUE(page.hasMorePages());
    EXPECT_FALSE(page.isEmpty());
    try {
        db.from("users").paginate(0);
        FAIL() << "page 0 did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_PAGE");
    }
}
#pragma GCC diagnostic pop

TEST_P(QueryBuilderGuide, InsertUpdateDelete) {
    lucid::Database& db = *this->db;
    db.from("posts").del();
    lucid_test::QueryCounter queries(db);
    // [snippet:insert]
    int64_t id = db.table("users").insert({{"email", "a@b.c"}, {"points", 0}});
    lucid::Value email = db.table("users").insertReturning({{"email", "r@x"}}, "email");
    db.table("counters").insert({});                        // insert ... default values

    std::vector<lucid::Attributes> rows;
    for (int i = 0; i < 40000; ++i) rows.push_back({{"user_id", i}, {"title", "t" + std::to_string(i)}});
    int64_t inserted = db.table("posts").insertMany(rows);  // 40000
    // [end-snippet]
    EXPECT_EQ(id, 6);
    EXPECT_EQ(db.from("users").where("id", id).first()->get<std::string>("email"), "a@b.c");
    EXPECT_EQ(email.as<std::string>(), "r@x");
    EXPECT_EQ(db.from("counters").count(), 1);
    EXPECT_EQ(inserted, 40000);
    EXPECT_EQ(db.from("posts").count(), 40000);
    // As few statements as the bind limit allows: 2 bindings a row, 32766 per statement on SQLite
    // (16383 rows), 65535 on PostgreSQL (32767 rows).
    int insertsIntoPosts = 0;
    for (const std::string& sql : queries.sqls) insertsIntoPosts += sql.starts_with("insert into \"posts\"");
    EXPECT_EQ(insertsIntoPosts, isPostgres() ? 2 : 3);
    try {
        db.table("posts").insertMany({{{"user_id", 1}, {"title", "a"}}, {{"title", "b"}, {"user_id", 2}}});
        FAIL() << "rows of different shapes did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INSERT_SHAPE");
    }

    // [snippet:update-delete]
    int64_t changed = db.from("users").where("id", id).update({{"points", 5}, {"name", nullptr}});
    db.from("users").where("points", ">=", 30).increment("points", 2);   // "points" = "points" + ?
    db.from("users").where("id", 5).decrement("points");                 // by 1
    int64_t deleted = db.from("users").where("id", ">", 3).del();
    // [end-snippet]
    EXPECT_EQ(changed, 1);
    EXPECT_EQ(db.from("users").where("id", 3).first()->get<int64_t>("points"), 32);
    EXPECT_EQ(deleted, 4);  // 4, 5 and the two inserted above
    EXPECT_EQ(db.from("users").orderBy("id").exec().size(), 3u);
    EXPECT_EQ(db.from("users").where("points", ">=", 30).increment("points", 2), 1);
    try {
        db.from("users").join("posts", "posts.user_id", "users.id").update({{"points", 1}});
        FAIL() << "an update with a join did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_UNSUPPORTED");
    }
    try {
        db.from("users").update({});
        FAIL() << "an empty update did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_EMPTY_UPDATE");
    }
    EXPECT_EQ(db.from("users").orderBy("id").limit(1).update({{"points", 7}}), 3);  // limit ignored: every row
}

TEST_P(QueryBuilderGuide, ReusingABuilder) {
    lucid::Database& db = *this->db;
    // [snippet:reuse]
    lucid::QueryBuilder active = db.from("users").whereNotNull("confirmed_at");
    lucid::QueryBuilder recent = active;
    recent.orderBy("id", lucid::Desc).limit(10);
    int64_t all = active.count();
    lucid::Result latest = recent.exec();
    // [end-snippet]
    EXPECT_EQ(all, 2);
    ASSERT_EQ(latest.size(), 2u);
    EXPECT_EQ(latest[0].get<int64_t>("id"), 3);
    EXPECT_EQ(sqlOf(active), "select * from \"users\" where \"confirmed_at\" is not null");  // unchanged by `recent`
}

TEST_P(QueryBuilderGuide, SubqueriesUnionsAndCtes) {
    lucid::Database& db = *this->db;
    // [snippet:subqueries]
    // users with a post: col in (select ...), and exists (select ...) correlated by whereColumn
    lucid::Result authors = db.from("users").whereIn("id", db.from("posts").select("user_id")).exec();
    lucid::Result same = db.from("users").whereExists(db.from("posts").whereColumn("posts.user_id", "=", "users.id")).exec();
    // a derived table, and a subquery among the selected columns
    int64_t writers = db.fromSub(db.from("posts").select("user_id").groupBy("user_id"), "active").count();
    lucid::Result counted = db.from("users")
                                .select("email")
                                .selectSub(db.from("posts").selectRaw("count(*)").whereColumn("posts.user_id", "=", "users.id"), "postCount")
                                .orderBy("email")
                                .exec();
    // [end-snippet]
    EXPECT_EQ(authors.size(), 2u);
    EXPECT_EQ(same.size(), 2u);
    EXPECT_EQ(writers, 2);
    EXPECT_EQ(counted[0].get<int64_t>("postCount"), 2);
    // [snippet:unions]
    lucid::Result emails = db.from("users").select("email").where("points", ">", 25)
                               .union_(db.from("users").select("email").where("points", 0))   // also unionAll
                               .orderBy("email")                                                 // orders the whole set
                               .exec();
    lucid::Result recent = db.query().with("top", db.from("users").where("points", ">=", 30)).from("top").exec();
    // [end-snippet]
    ASSERT_EQ(emails.size(), 3u);
    EXPECT_EQ(emails[2].get<std::string>("email"), "e@x");
    EXPECT_EQ(recent.size(), 2u);
}

TEST_P(QueryBuilderGuide, UpsertsLocksAndTruncate) {
    lucid::Database& db = *this->db;
    // [snippet:upserts]
    int64_t added = db.table("users").insertOrIgnore({{{"email", "a@x"}}, {{"email", "f@x"}}});   // 1: a@x exists
    db.table("users").upsert({{{"email", "a@x"}, {"points", 99}}, {{"email", "g@x"}, {"points", 1}}},
                             {"email"},     // the unique columns that decide between insert and update
                             {"points"});   // what an existing row takes from the new one
    // [end-snippet]
    EXPECT_EQ(added, 1);
    EXPECT_EQ(db.from("users").where("email", "a@x").first()->get<int64_t>("points"), 99);
    EXPECT_EQ(db.from("users").count(), 7);
    // [snippet:locks]
    db.transaction([](lucid::Transaction& trx) {
        // the next job nobody else holds: PostgreSQL locks it until commit; SQLite ignores the clauses
        auto job = trx.from("users").where("points", ">", 0).orderBy("id").forUpdate().skipLocked().limit(1).first();
        auto shared = trx.from("users").forShare().noWait().exec();
    });
    // [end-snippet]
    // [snippet:truncate]
    db.truncate("posts");                          // every row gone; the next id is 1 again
    db.truncate("posts", /*cascade=*/true);        // PostgreSQL: also the tables that reference it
    // [end-snippet]
    EXPECT_EQ(db.table("posts").insert({{"user_id", 1}, {"title", "again"}}), 1);
}

TEST_P(QueryBuilderGuide, Timeouts) {
    lucid::Database& db = *this->db;
    using namespace std::chrono_literals;
    auto report = db.from("users").where("points", ">", 0);
    // [snippet:timeout]
    try {
        lucid::Result rows = report.timeout(200ms).exec();
    } catch (const lucid::QueryTimeout& e) {   // a QueryError with code E_QUERY_TIMEOUT
        // the statement was cancelled on the server (PostgreSQL) or interrupted (SQLite)
    }
    // [end-snippet]
    EXPECT_EQ(report.exec().size(), 4u);
}

TEST_P(QueryBuilderGuide, InATransaction) {
    lucid::Database& db = *this->db;
    db.transaction([](lucid::Transaction& trx) {
        trx.table("users").insert({{"email", "t@x"}});
        EXPECT_EQ(trx.from("users").count(), 6);
        trx.rollback();
    });
    EXPECT_EQ(db.from("users").count(), 5);
}

LUCID_DB_TEST_SUITE(QueryBuilderGuide);
