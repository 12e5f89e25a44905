// The samples of docs/model-query-builder.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <optional>
#include <string>
#include <vector>

namespace model_query_guide {

// [snippet:models]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    std::string status = "draft";
    int32_t points = 0;
    bool isPublished = false;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::status, "status");
        m.column(&Post::points, "points");
        m.column(&Post::isPublished, "isPublished");
    }
};
// [end-snippet]

// [snippet:soft-delete-model]
struct Article : lucid::BaseModel<Article> {
    int64_t id = 0;
    std::string title;
    std::optional<lucid::DateTime> deletedAt;

    static void define(lucid::ModelDefinition<Article>& m) {
        m.column(&Article::id, "id", {.isPrimary = true});
        m.column(&Article::title, "title");
        m.column(&Article::deletedAt, "deletedAt");
        // soft deletes: queries that fetch articles leave out the deleted ones
        m.beforeFind([](lucid::ModelQuery<Article>& q) { q.whereNull(&Article::deletedAt); });
        m.beforeFetch([](lucid::ModelQuery<Article>& q) { q.whereNull(&Article::deletedAt); });
    }
};
// [end-snippet]

}  // namespace model_query_guide

using namespace model_query_guide;

class ModelQueryGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        // tables of other tests that may point at "users" go first (PostgreSQL keeps them between programs)
        dropTables({"skill_user", "user_skills", "profiles", "posts", "users", "articles"});
        auto s = db->schema();
        s.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email");
        });
        s.createTable("posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("title");
            t.string("status").defaultTo("draft");
            t.integer("points").defaultTo(0);
            t.boolean("is_published").defaultTo(false);
        });
        s.createTable("articles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("title");
            t.timestamp("deleted_at").nullable();
        });
        ada = User::create({.email = "ada@example.com"});
        bob = User::create({.email = "bob@example.com"});
        Post::createMany({
            {.userId = ada.id, .title = "Hello C++", .status = "published", .points = 10, .isPublished = true},
            {.userId = ada.id, .title = "Pivot tables", .status = "published", .points = 25, .isPublished = true},
            {.userId = ada.id, .title = "Unfinished", .points = 0},
            {.userId = bob.id, .title = "Hello SQL", .status = "published", .points = 5, .isPublished = true},
            {.userId = bob.id, .title = "Ideas", .status = "review", .points = 1},
            {.userId = std::nullopt, .title = "Orphan", .status = "archived", .points = 3},
        });
    }
    User ada, bob;
};

TEST_P(ModelQueryGuide, Basics) {
    // [snippet:basic]
    std::vector<Post> published = Post::query()
                                      .where(&Post::isPublished, true)
                                      .orderBy(&Post::points, lucid::Desc)
                                      .limit(10)
                                      .all();    // .exec() is the same
    // [end-snippet]
    ASSERT_EQ(published.size(), 3u);
    EXPECT_EQ(published[0].title, "Pivot tables");
    EXPECT_EQ(published.size(), Post::query().where(&Post::isPublished, true).exec().size());

    // [snippet:columns]
    Post::query().where(&Post::isPublished, true);    // a member pointer: checked at compile time
    Post::query().where("isPublished", true);         // a property name
    Post::query().where("is_published", true);        // a column name
    Post::query().where("posts.is_published", true);  // qualified names and expressions pass through
    // [end-snippet]
    EXPECT_EQ(Post::query().where("isPublished", true).count(), 3);
    EXPECT_EQ(Post::query().where("is_published", true).count(), 3);
    EXPECT_EQ(Post::query().where("posts.is_published", true).count(), 3);

    // [snippet:unknown-column]
    try {
        Post::query().where("publishedOn", true);
    } catch (const lucid::Error& e) {
        // "Post" model has no property or column named "publishedOn"
    }
    // [end-snippet]
    try {
        Post::query().where("publishedOn", true);
        ADD_FAILURE();
    } catch (const lucid::Error& e) {
        EXPECT_EQ(std::string(e.what()), "\"Post\" model has no property or column named \"publishedOn\"");
    }

    // [snippet:first]
    std::optional<Post> first = Post::query().where(&Post::status, "review").first();   // limit 1
    Post post = Post::query().where(&Post::title, "Hello SQL").firstOrFail();            // or lucid::RowNotFound
    // [end-snippet]
    ASSERT_TRUE(first);
    EXPECT_EQ(first->title, "Ideas");
    EXPECT_EQ(post.userId, bob.id);
    EXPECT_FALSE(Post::query().where(&Post::status, "nope").first());
    EXPECT_THROW(Post::query().where(&Post::status, "nope").firstOrFail(), lucid::RowNotFound);

    // [snippet:client]
    db->transaction([](lucid::Transaction& trx) {
        auto drafts = Post::query(trx).where(&Post::status, "draft").all();   // runs in trx
    });
    // [end-snippet]
}

TEST_P(ModelQueryGuide, WhereFamily) {
    // [snippet:where]
    Post::query().where(&Post::status, "published");             // status = ?
    Post::query().where(&Post::points, ">=", 10);                  // points >= ?
    Post::query().whereNot(&Post::status, "archived");            // not status = ?
    Post::query().whereIn(&Post::status, {"review", "draft"});
    Post::query().whereNotIn(&Post::id, {1, 2});
    Post::query().whereNull(&Post::userId);
    Post::query().whereNotNull(&Post::userId);
    Post::query().whereBetween(&Post::points, 1, 10);
    Post::query().whereLike(&Post::title, "Hello%");              // case-sensitive on PostgreSQL
    Post::query().whereILike(&Post::title, "hello%");             // case-insensitive everywhere
    Post::query().whereColumn(&Post::id, "<", &Post::points);
    Post::query().whereRaw("length(title) > ?", {10});
    // [end-snippet]
    EXPECT_EQ(Post::query().where(&Post::status, "published").count(), 3);
    EXPECT_EQ(Post::query().where(&Post::points, ">=", 10).count(), 2);
    EXPECT_EQ(Post::query().whereNot(&Post::status, "archived").count(), 5);
    EXPECT_EQ(Post::query().whereIn(&Post::status, {"review", "draft"}).count(), 2);
    EXPECT_EQ(Post::query().whereNull(&Post::userId).count(), 1);
    EXPECT_EQ(Post::query().whereNotNull(&Post::userId).count(), 5);
    EXPECT_EQ(Post::query().whereBetween(&Post::points, 1, 10).count(), 4);
    EXPECT_EQ(Post::query().whereLike(&Post::title, "Hello%").count(), 2);
    EXPECT_EQ(Post::query().whereILike(&Post::title, "hello%").count(), 2);
    EXPECT_EQ(Post::query().whereRaw("length(title) > ?", {10}).count(), 1);

    // [snippet:or-where]
    // status = ? or points > ?
    auto popularOrReviewed = Post::query().where(&Post::status, "review").orWhere(&Post::points, ">", 20).all();
    // [end-snippet]
    EXPECT_EQ(popularOrReviewed.size(), 2u);
    EXPECT_EQ(Post::query().whereNull(&Post::userId).orWhereIn(&Post::status, {"review"}).count(), 2);
    EXPECT_EQ(Post::query().where(&Post::points, 0).orWhereNot(&Post::isPublished, false).count(), 4);

    // [snippet:groups]
    // where is_published = ? and (user_id = ? or points >= ?)
    auto posts = Post::query()
                     .where(&Post::isPublished, true)
                     .where([&](lucid::ModelQuery<Post>& q) {
                         q.where(&Post::userId, bob.id).orWhere(&Post::points, ">=", 20);
                     })
                     .all();
    // [end-snippet]
    EXPECT_EQ(posts.size(), 2u);

    // [snippet:exists]
    // users with at least one published post, written by hand
    auto authors = User::query()
                       .whereExists([](lucid::ModelQuery<User>& q) {
                           q.from("posts").whereColumn("posts.user_id", "=", "users.id").whereRaw("posts.is_published = ?", {true});
                       })
                       .all();
    // [end-snippet]
    EXPECT_EQ(authors.size(), 2u);

    // [snippet:subqueries]
    // users with a post of more than 10 points: a model query (or any query) as the subquery
    auto writers = User::query().whereIn(&User::id, Post::query().select(&Post::userId).where(&Post::points, ">", 10)).all();
    // a union and a common table expression: the rows still become models
    auto busy = Post::query().where(&Post::status, "review").union_(Post::query().where(&Post::points, ">", 20)).all();
    auto top = Post::query()
                   .with("top", db->from("posts").orderBy("points", lucid::Desc).limit(2))
                   .whereIn(&Post::id, db->from("top").select("id"))
                   .all();
    // [end-snippet]
    EXPECT_EQ(writers.size(), 1u);
    EXPECT_EQ(writers[0].id, ada.id);
    EXPECT_EQ(busy.size(), 2u);
    ASSERT_EQ(top.size(), 2u);
    EXPECT_EQ(db->rawQuery("select count(*) as n from posts where points >= 10")[0].get<int64_t>("n"), 2);
    for (const Post& p : top) EXPECT_GE(p.points, 10);
}

TEST_P(ModelQueryGuide, OrderingAndSelecting) {
    // [snippet:order]
    auto page = Post::query()
                    .orderBy(&Post::status)                  // ascending by default
                    .orderBy(&Post::points, lucid::Desc)
                    .limit(2)
                    .offset(2)
                    .all();
    // [end-snippet]
    ASSERT_EQ(page.size(), 2u);
    EXPECT_EQ(page[0].title, "Pivot tables");  // archived, draft, then published by points: 25, 10, 5
    EXPECT_EQ(page[1].title, "Hello C++");

    // [snippet:select]
    std::vector<Post> titles = Post::query().select(&Post::id, &Post::title).orderBy(&Post::id).all();
    // the other fields keep their defaults: titles[0].points == 0
    // [end-snippet]
    ASSERT_EQ(titles.size(), 6u);
    EXPECT_EQ(titles[0].title, "Hello C++");
    EXPECT_EQ(titles[1].points, 0);

    // [snippet:select-raw]
    Post ranked = Post::query()
                      .select("posts.*")
                      .selectRaw("points * 2 as double_points")
                      .orderBy(&Post::points, lucid::Desc)
                      .firstOrFail();
    // ranked.extras() == {{"double_points", 50}}: not a column of Post
    // [end-snippet]
    ASSERT_EQ(ranked.extras().size(), 1u);
    EXPECT_EQ(ranked.extras()[0].first, "double_points");
    EXPECT_EQ(ranked.extras()[0].second.as<int64_t>(), 50);
    EXPECT_EQ(ranked.title, "Pivot tables");

    // [snippet:join]
    std::vector<Post> byAda = Post::query()
                                  .select("posts.*")     // else the users columns come along (and users.id wins)
                                  .join("users", "users.id", "posts.user_id")
                                  .where("users.email", "ada@example.com")
                                  .orderBy(&Post::id)
                                  .all();
    // [end-snippet]
    ASSERT_EQ(byAda.size(), 3u);
    EXPECT_EQ(byAda[0].title, "Hello C++");
    EXPECT_TRUE(byAda[0].extras().empty());

    // [snippet:group-by]
    std::vector<Post> perStatus = Post::query()
                                      .select(&Post::status)
                                      .selectRaw("count(*) as total")
                                      .groupBy(&Post::status)
                                      .havingRaw("count(*) > ?", {1})
                                      .all();
    // one Post per status with more than one row; the count is in extras()
    // [end-snippet]
    ASSERT_EQ(perStatus.size(), 1u);
    EXPECT_EQ(perStatus[0].status, "published");
    EXPECT_EQ(perStatus[0].extras()[0].second.as<int64_t>(), 3);
}

TEST_P(ModelQueryGuide, AggregatesAndWrites) {
    // [snippet:aggregates]
    int64_t published = Post::query().where(&Post::isPublished, true).count();
    int64_t authors = Post::query().count(&Post::userId);          // count("user_id"): non-null values
    lucid::Value total = Post::query().sum(&Post::points);         // a Value: NULL when no rows match
    lucid::Value best = Post::query().max(&Post::points);
    lucid::Value average = Post::query().where(&Post::isPublished, true).avg(&Post::points);
    double mean = average.as<double>();                            // PostgreSQL returns numeric as text: as<> parses it
    // [end-snippet]
    EXPECT_EQ(published, 3);
    EXPECT_EQ(authors, 5);
    EXPECT_EQ(total.as<int64_t>(), 44);
    EXPECT_EQ(best.as<int64_t>(), 25);
    EXPECT_EQ(Post::query().min(&Post::points).as<int64_t>(), 0);
    EXPECT_NEAR(mean, 40.0 / 3, 1e-9);
    EXPECT_TRUE(Post::query().where(&Post::id, -1).sum(&Post::points).isNull());

    // [snippet:update-del]
    int64_t archived = Post::query().where(&Post::status, "review").update({{"status", "archived"}});   // rows affected
    int64_t bumped = Post::query().where(&Post::isPublished, true).increment(&Post::points, 5);
    Post::query().where(&Post::status, "archived").decrement(&Post::points);                           // by 1
    int64_t removed = Post::query().whereNull(&Post::userId).del();
    // [end-snippet]
    EXPECT_EQ(archived, 1);
    EXPECT_EQ(bumped, 3);
    EXPECT_EQ(removed, 1);
    EXPECT_EQ(Post::query().sum(&Post::points).as<int64_t>(), 55);
    EXPECT_EQ(Post::query().where(&Post::status, "archived").count(), 1);
}

TEST_P(ModelQueryGuide, Pagination) {
    // [snippet:paginate]
    lucid::Page<Post> page = Post::query().orderBy(&Post::id).paginate(2, 4);   // page 2, 4 per page (default 20)
    page.items();         // std::vector<Post>: rows 5 and 6
    page.total();         // 6: every matching row
    page.perPage();       // 4
    page.currentPage();   // 2
    page.lastPage();      // 2
    page.hasMorePages();  // false
    // [end-snippet]
    ASSERT_EQ(page.items().size(), 2u);
    EXPECT_EQ(page.items()[0].title, "Ideas");
    EXPECT_EQ(page.total(), 6);
    EXPECT_EQ(page.perPage(), 4);
    EXPECT_EQ(page.currentPage(), 2);
    EXPECT_EQ(page.lastPage(), 2);
    EXPECT_EQ(page.firstPage(), 1);
    EXPECT_FALSE(page.hasMorePages());
    EXPECT_FALSE(page.isEmpty());
    EXPECT_EQ(Post::query().paginate(1).items().size(), 6u);
}

TEST_P(ModelQueryGuide, ToSqlAndScopes) {
    // [snippet:to-sql]
    auto [sql, bindings] = Post::query().where(&Post::userId, 1).orderBy(&Post::id, lucid::Desc).limit(5).toSQL();
    // SQLite:     select * from "posts" where "user_id" = ? order by "id" desc limit ?
    // PostgreSQL: select * from "posts" where "user_id" = $1 order by "id" desc limit $2
    // [end-snippet]
    if (isPostgres()) {
        EXPECT_EQ(sql, R"(select * from "posts" where "user_id" = $1 order by "id" desc limit $2)");
    } else {
        EXPECT_EQ(sql, R"(select * from "posts" where "user_id" = ? order by "id" desc limit ?)");
    }
    ASSERT_EQ(bindings.size(), 2u);
    EXPECT_EQ(bindings[0].as<int64_t>(), 1);

    // [snippet:scopes]
    // a scope is any callable taking the query
    auto published = [](lucid::ModelQuery<Post>& q) { q.where(&Post::isPublished, true); };
    auto popular = [](int minPoints) {
        return [minPoints](lucid::ModelQuery<Post>& q) { q.where(&Post::points, ">=", minPoints); };
    };
    auto posts = Post::query().apply(published).apply(popular(10)).all();
    // [end-snippet]
    EXPECT_EQ(posts.size(), 2u);
}

TEST_P(ModelQueryGuide, QueryHooks) {
    Article kept = Article::create({.title = "kept"});
    Article gone = Article::create({.title = "gone"});
    // [snippet:soft-delete-use]
    gone.deletedAt = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
    gone.save();

    auto articles = Article::query().all();           // beforeFetch: only "kept"
    auto found = Article::find(gone.id);              // beforeFind: std::nullopt
    int64_t all = Article::query().count();           // 2: aggregates run no hooks
    // [end-snippet]
    ASSERT_EQ(articles.size(), 1u);
    EXPECT_EQ(articles[0].id, kept.id);
    EXPECT_FALSE(found);
    EXPECT_EQ(all, 2);
    EXPECT_EQ(Article::all().size(), 1u);
    EXPECT_EQ(Article::query().paginate(1).items().size(), 1u);
}

LUCID_DB_TEST_SUITE(ModelQueryGuide);
