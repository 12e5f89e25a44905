// The samples of docs/relationships/has-many-through.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace has_many_through_guide {

// [snippet:models]
struct User;
struct Post;

struct Country : lucid::BaseModel<Country> {
    int64_t id = 0;
    std::string name;
    lucid::HasManyThrough<Post, User> posts;   // the related model, then the one in between

    static void define(lucid::ModelDefinition<Country>& m) {
        m.column(&Country::id, "id", {.isPrimary = true});
        m.column(&Country::name, "name");
        m.hasManyThrough(&Country::posts, "posts");
    }
};

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<int64_t> countryId;          // Country -> User
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::countryId, "countryId");
        m.hasMany(&User::posts, "posts");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;             // User -> Post
    std::string title;
    bool isPublished = false;
    int32_t points = 0;
    lucid::BelongsTo<User> author;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::isPublished, "isPublished");
        m.column(&Post::points, "points");
        m.belongsTo(&Post::author, "author", {.foreignKey = "userId"});
    }
};
// [end-snippet]

// [snippet:tables]
void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    schema.createTable("countries", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("name").notNullable();
    });
    schema.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
        t.integer("country_id").unsigned_().nullable().references("id").inTable("countries");
    });
    schema.createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().nullable().references("id").inTable("users");
        t.string("title").notNullable();
        t.boolean("is_published").defaultTo(false);
        t.integer("points").defaultTo(0);
    });
}
// [end-snippet]

// [snippet:extra-helper]
// One value of a model's extras(); NULL when absent.
template <class M> lucid::Value extra(const M& model, std::string_view name) {
    for (const auto& [key, value] : model.extras())
        if (key == name) return value;
    return lucid::Value();
}
// [end-snippet]

// Every key spelled out: regions reach their sales through their stores, by codes and numbers.
namespace custom {
// [snippet:custom-keys]
struct Store;
struct Sale;

struct Region : lucid::BaseModel<Region> {
    int64_t id = 0;
    std::string code;
    lucid::HasManyThrough<Sale, Store> sales;

    static void define(lucid::ModelDefinition<Region>& m) {
        m.column(&Region::id, "id", {.isPrimary = true});
        m.column(&Region::code, "code");
        m.hasManyThrough(&Region::sales, "sales", {
            .localKey = "code",                   // on Region (default: its primary key)
            .foreignKey = "regionCode",           // on Store, holds localKey (default: "regionId")
            .throughLocalKey = "storeNumber",     // on Store (default: its primary key)
            .throughForeignKey = "storeNumber",   // on Sale, holds throughLocalKey (default: "storeId")
        });
    }
};

struct Store : lucid::BaseModel<Store> {
    int64_t id = 0;
    std::string regionCode;
    int32_t storeNumber = 0;

    static void define(lucid::ModelDefinition<Store>& m) {
        m.column(&Store::id, "id", {.isPrimary = true});
        m.column(&Store::regionCode, "regionCode");
        m.column(&Store::storeNumber, "storeNumber");
    }
};

struct Sale : lucid::BaseModel<Sale> {
    int64_t id = 0;
    int32_t storeNumber = 0;
    double amount = 0;

    static void define(lucid::ModelDefinition<Sale>& m) {
        m.column(&Sale::id, "id", {.isPrimary = true});
        m.column(&Sale::storeNumber, "storeNumber");
        m.column(&Sale::amount, "amount");
    }
};
// [end-snippet]
}  // namespace custom

}  // namespace has_many_through_guide

using namespace has_many_through_guide;

class HasManyThroughGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        // tables of other tests that may point at "users" go first (PostgreSQL keeps them between programs)
        dropTables({"skill_user", "user_skills", "profiles", "posts", "users", "countries", "sales", "stores", "regions"});
    }
    void TearDown() override {
        // leave no foreign key to "users" or "countries" behind for the next program
        if (db) dropTables({"posts", "users"});
        DbTest::TearDown();
    }
};

TEST_P(HasManyThroughGuide, CustomKeys) {
    auto schema = db->schema();
    schema.createTable("regions", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("code");
    });
    schema.createTable("stores", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("region_code");
        t.integer("store_number");
    });
    schema.createTable("sales", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("store_number");
        t.double_("amount");
    });
    using namespace custom;
    Region north = Region::create({.code = "N"});
    Region south = Region::create({.code = "S"});
    Store::createMany({{.regionCode = "N", .storeNumber = 11}, {.regionCode = "N", .storeNumber = 12}, {.regionCode = "S", .storeNumber = 21}});
    Sale::createMany({{.storeNumber = 11, .amount = 10}, {.storeNumber = 12, .amount = 5.5}, {.storeNumber = 21, .amount = 7}});
    // [snippet:custom-keys-use]
    auto regions = Region::query().preload(&Region::sales).orderBy(&Region::code).all();
    // regions[0] (N): the sales of stores 11 and 12; regions[1] (S): the sale of store 21
    lucid::Value northTotal = north.related(&Region::sales).query().sum(&Sale::amount);   // 15.5
    // [end-snippet]
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_EQ(regions[0].sales.size(), 2u);
    ASSERT_EQ(regions[1].sales.size(), 1u);
    EXPECT_DOUBLE_EQ(regions[1].sales[0].amount, 7);
    EXPECT_DOUBLE_EQ(northTotal.as<double>(), 15.5);
    EXPECT_EQ(extra(regions[1].sales[0], "through_region_code").as<std::string>(), "S");
    EXPECT_EQ(south.related(&Region::sales).query().count(), 1);
    auto counted = Region::query().withCount(&Region::sales).orderBy(&Region::code).all();
    EXPECT_EQ(extra(counted[0], "sales_count").as<int64_t>(), 2);
}

class HasManyThroughData : public HasManyThroughGuide {
protected:
    void SetUp() override {
        HasManyThroughGuide::SetUp();
        if (HasFatalFailure()) return;
        createTables(*db);
        // [snippet:data]
        Country france = Country::create({.name = "France"});
        Country japan = Country::create({.name = "Japan"});
        Country::create({.name = "Peru"});                     // no users

        User ada = User::create({.email = "ada@example.com", .countryId = france.id});
        User bob = User::create({.email = "bob@example.com", .countryId = france.id});
        User kei = User::create({.email = "kei@example.com", .countryId = japan.id});

        ada.related(&User::posts).createMany({{.title = "Hello", .isPublished = true, .points = 10},
                                              {.title = "Draft", .points = 0}});
        bob.related(&User::posts).create({.title = "Bonjour", .isPublished = true, .points = 4});
        kei.related(&User::posts).create({.title = "Konnichiwa", .isPublished = true, .points = 7});
        // [end-snippet]
        fr = france;
        jp = japan;
        this->ada = ada;
    }
    Country fr, jp;
    User ada;
};

TEST_P(HasManyThroughData, Preload) {
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<Country> countries = Country::query().preload(&Country::posts).orderBy(&Country::id).all();
    // countries[0] (France): Hello, Draft, Bonjour; countries[1] (Japan): Konnichiwa; countries[2] (Peru): none
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(countries.size(), 3u);
    EXPECT_EQ(countries[0].posts.size(), 3u);
    ASSERT_EQ(countries[1].posts.size(), 1u);
    EXPECT_EQ(countries[1].posts[0].title, "Konnichiwa");
    EXPECT_TRUE(countries[2].posts.isLoaded());
    EXPECT_TRUE(countries[2].posts.empty());
    EXPECT_EQ(extra(countries[1].posts[0], "through_country_id").as<int64_t>(), jp.id);
    const std::string& sql = counter.sqls[1];
    EXPECT_NE(sql.find("inner join \"users\" on \"users\".\"id\" = \"posts\".\"user_id\""), std::string::npos) << sql;
    EXPECT_NE(sql.find("\"users\".\"country_id\" as \"through_country_id\""), std::string::npos) << sql;
    EXPECT_EQ(countries[0].serialize()["posts"].size(), 3u);

    // [snippet:preload-constraints]
    auto withPublished = Country::query()
                             .preload(&Country::posts, [](lucid::ModelQuery<Post>& q) {
                                 q.where(&Post::isPublished, true).orderBy(&Post::points, lucid::Desc).preload(&Post::author);
                             })
                             .orderBy(&Country::id)
                             .all();
    // withPublished[0].posts: Hello (by ada), Bonjour (by bob); each post's author is loaded
    // [end-snippet]
    ASSERT_EQ(withPublished[0].posts.size(), 2u);
    EXPECT_EQ(withPublished[0].posts[0].title, "Hello");
    EXPECT_EQ(withPublished[0].posts[0].author->email, "ada@example.com");
    EXPECT_EQ(withPublished[0].posts[1].author->email, "bob@example.com");

    // [snippet:load]
    Country france = Country::findOrFail(fr.id);
    france.load(&Country::posts);            // France's three posts
    // [end-snippet]
    EXPECT_EQ(france.posts.size(), 3u);

    // a select in a preload callback narrows the columns (the through key is still added)
    auto narrow = Country::query()
                      .preload(&Country::posts, [](lucid::ModelQuery<Post>& q) { q.select(&Post::id, &Post::title).orderBy(&Post::id); })
                      .orderBy(&Country::id)
                      .all();
    ASSERT_EQ(narrow[0].posts.size(), 3u);
    EXPECT_EQ(narrow[0].posts[0].title, "Hello");
    EXPECT_EQ(narrow[0].posts[0].points, 0);
}

TEST_P(HasManyThroughData, RelatedQuery) {
    // [snippet:related-query]
    Country france = Country::findOrFail(fr.id);
    int64_t published = france.related(&Country::posts).query().where(&Post::isPublished, true).count();   // 2
    std::vector<Post> titles = france.related(&Country::posts)
                                   .query()
                                   .select(&Post::id, &Post::title)
                                   .orderBy(&Post::id)
                                   .all();
    lucid::Page<Post> page = france.related(&Country::posts).query().orderBy(&Post::id).paginate(1, 2);
    // page.total() == 3, page.items(): Hello, Draft
    // [end-snippet]
    EXPECT_EQ(published, 2);
    ASSERT_EQ(titles.size(), 3u);
    EXPECT_EQ(titles[2].title, "Bonjour");
    EXPECT_EQ(titles[0].title, "Hello");
    EXPECT_EQ(extra(titles[0], "through_country_id").as<int64_t>(), fr.id);
    EXPECT_EQ(page.total(), 3);
    ASSERT_EQ(page.items().size(), 2u);
    EXPECT_EQ(page.items()[1].title, "Draft");
    EXPECT_EQ(france.related(&Country::posts).query().sum(&Post::points).as<int64_t>(), 14);
}

TEST_P(HasManyThroughData, ExistenceAndCounts) {
    // [snippet:has]
    auto withPosts = Country::query().has(&Country::posts).all();                 // France, Japan
    auto busy = Country::query().has(&Country::posts, ">=", 3).all();             // France
    auto quiet = Country::query().doesntHave(&Country::posts).all();              // Peru
    auto popular = Country::query()
                       .whereHas(&Country::posts, [](lucid::ModelQuery<Post>& q) { q.where(&Post::points, ">=", 7); })
                       .all();                                                    // France, Japan
    // [end-snippet]
    EXPECT_EQ(withPosts.size(), 2u);
    ASSERT_EQ(busy.size(), 1u);
    EXPECT_EQ(busy[0].id, fr.id);
    ASSERT_EQ(quiet.size(), 1u);
    EXPECT_EQ(quiet[0].name, "Peru");
    EXPECT_EQ(popular.size(), 2u);
    EXPECT_EQ(Country::query().whereHas(&Country::posts, [](lucid::ModelQuery<Post>& q) { q.where(&Post::points, ">=", 7); }, ">=", 2).count(), 0);

    // [snippet:with-count]
    auto countries = Country::query()
                         .withCount(&Country::posts)                                           // extras: posts_count
                         .withCount(&Country::posts, [](lucid::ModelQuery<Post>& q) {
                             q.where(&Post::isPublished, true).as("publishedCount");
                         })
                         .withAggregate(&Country::posts, lucid::sum(&Post::points).as("totalPoints"))
                         .orderBy(&Country::id)
                         .all();
    int64_t francePosts = extra(countries[0], "posts_count").as<int64_t>();       // 3
    int64_t francePublished = extra(countries[0], "publishedCount").as<int64_t>(); // 2
    int64_t francePoints = extra(countries[0], "totalPoints").as<int64_t>();      // 14
    // [end-snippet]
    EXPECT_EQ(francePosts, 3);
    EXPECT_EQ(francePublished, 2);
    EXPECT_EQ(francePoints, 14);
    EXPECT_EQ(extra(countries[2], "posts_count").as<int64_t>(), 0);
    EXPECT_TRUE(extra(countries[2], "totalPoints").isNull());

    // [snippet:load-count]
    Country japan = Country::findOrFail(jp.id);
    japan.loadCount(&Country::posts);            // extra(japan, "posts_count") == 1
    // [end-snippet]
    EXPECT_EQ(extra(japan, "posts_count").as<int64_t>(), 1);
}

TEST_P(HasManyThroughData, PersistThroughTheIntermediateModel) {
    // [snippet:persist]
    User user = User::findByOrFail(&User::email, "kei@example.com");
    user.related(&User::posts).create({.title = "Sayonara"});     // now one more post of Japan
    // [end-snippet]
    EXPECT_EQ(jp.related(&Country::posts).query().count(), 2);
}

LUCID_DB_TEST_SUITE(HasManyThroughGuide);
LUCID_DB_TEST_SUITE(HasManyThroughData);
