// The samples of docs/relationships/introduction.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <initializer_list>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace relationships_guide {

// [snippet:models]
struct Profile;
struct Post;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    lucid::HasOne<Profile> profile;
    lucid::HasMany<Post> posts;
    lucid::HasMany<Post> publishedPosts;

    static void define(lucid::ModelDefinition<User>& m);
};

struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string avatarUrl;
    lucid::BelongsTo<User> user;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::userId, "userId");
        m.column(&Profile::avatarUrl, "avatarUrl");
        m.belongsTo(&Profile::user, "user");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    int32_t points = 0;
    bool isPublished = false;
    lucid::BelongsTo<User> author;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::points, "points");
        m.column(&Post::isPublished, "isPublished");
        m.belongsTo(&Post::author, "author");  // foreign key: userId, from the related model's name
    }
};

inline void User::define(lucid::ModelDefinition<User>& m) {
    m.column(&User::id, "id", {.isPrimary = true});
    m.column(&User::email, "email");
    m.hasOne(&User::profile, "profile");
    m.hasMany(&User::posts, "posts");
    // [snippet:on-query]
    m.hasMany(&User::publishedPosts, "publishedPosts", {
        .serializeAs = "published",
        .onQuery = [](lucid::ModelQuery<Post>& query) { query.where(&Post::isPublished, true); },
    });
    // [end-snippet]
}
// [end-snippet]

void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    schema.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
    });
    schema.createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").nullable();
        t.string("avatar_url").notNullable();
    });
    schema.createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").nullable();
        t.string("title").notNullable();
        t.integer("points").notNullable().defaultTo(0);
        t.boolean("is_published").defaultTo(false);
    });
}

// DbTest::dropTables drops with CASCADE on PostgreSQL, where the suite's programs share one database.
using GuideTest = lucid_test::DbTest;

class RelationshipsGuide : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "profiles", "users"});
        createTables(*db);
    }
    // user 1 (virk): profile, 3 posts (points 10, 20, 30; the first two published)
    // user 2 (romain): profile, 1 unpublished post (5 points)
    // user 3 (julien): nothing
    void seed() {
        User virk = User::create({.email = "virk@adonisjs.com"});
        User romain = User::create({.email = "romain@adonisjs.com"});
        User julien = User::create({.email = "julien@adonisjs.com"});
        ASSERT_EQ(virk.id, 1);
        ASSERT_EQ(julien.id, 3);
        virk.related(&User::profile).create({.avatarUrl = "virk.jpg"});
        romain.related(&User::profile).create({.avatarUrl = "romain.jpg"});
        virk.related(&User::posts).createMany({{.title = "Adonis 101", .points = 10, .isPublished = true},
                                               {.title = "Lucid 101", .points = 20, .isPublished = true},
                                               {.title = "Draft", .points = 30}});
        romain.related(&User::posts).create({.title = "Ideas", .points = 5});
    }
    static const lucid::Value* extra(const lucid::Attributes& extras, const std::string& name) {
        for (const auto& [k, v] : extras)
            if (k == name) return &v;
        return nullptr;
    }
};

TEST_P(RelationshipsGuide, DefaultKeys) {
    auto keys = [](const auto& relation) { return relation.ownerKey->property + " -> " + relation.relatedKey->property; };
    EXPECT_EQ(keys(User::meta().relation("profile")), "id -> userId");     // hasOne: local key -> foreign key
    EXPECT_EQ(keys(User::meta().relation("posts")), "id -> userId");       // hasMany
    EXPECT_EQ(keys(Profile::meta().relation("user")), "userId -> id");     // belongsTo: foreign key -> local key
    EXPECT_EQ(keys(Post::meta().relation("author")), "userId -> id");
    EXPECT_TRUE((lucid::checkSchema<User, Profile, Post>(*db)).empty());
}

TEST_P(RelationshipsGuide, HoldersAndNoLazyLoading) {
    seed();
    // [snippet:holders]
    User user = User::findOrFail(1);
    bool loaded = user.profile.isLoaded();      // false: nothing is read on access
    Profile* none = user.profile.get();         // nullptr
    // user.profile.value() and user.profile->avatarUrl throw lucid::RelationNotLoaded

    user.load(&User::profile);                  // one query
    std::cout << user.profile->avatarUrl << '\n';
    Profile& profile = user.profile.value();    // throws when loaded as null (no profile)
    // [end-snippet]
    EXPECT_FALSE(loaded);
    EXPECT_EQ(none, nullptr);
    EXPECT_EQ(profile.avatarUrl, "virk.jpg");
    User fresh = User::findOrFail(1);
    EXPECT_THROW(fresh.profile.value(), lucid::RelationNotLoaded);
    EXPECT_THROW(fresh.posts.value(), lucid::RelationNotLoaded);
    EXPECT_TRUE(fresh.posts.empty());
    EXPECT_THROW((void)fresh.profile->avatarUrl, lucid::RelationNotLoaded);
    User julien = User::findOrFail(3);
    julien.load(&User::profile);
    EXPECT_TRUE(julien.profile.isLoaded());
    EXPECT_THROW(julien.profile.value(), lucid::RelationNotLoaded);

    // [snippet:holders-many]
    user.load(&User::posts);
    std::cout << user.posts.size() << " posts\n";
    for (Post& post : user.posts) std::cout << post.title << '\n';
    Post& first = user.posts[0];
    // [end-snippet]
    EXPECT_EQ(user.posts.size(), 3u);
    EXPECT_FALSE(first.title.empty());

    // [snippet:holders-set]
    Profile draft;
    draft.avatarUrl = "draft.jpg";
    user.profile.set(draft);   // holds a copy of draft, as if loaded (Lucid's $setRelated)
    User copy = user;          // copies share the related instance, like JavaScript references
    copy.profile->avatarUrl = "shared.jpg";
    user.profile.reset();      // back to "not loaded"
    // [end-snippet]
    EXPECT_EQ(copy.profile->avatarUrl, "shared.jpg");
    EXPECT_FALSE(user.profile.isLoaded());
    EXPECT_EQ(draft.avatarUrl, "draft.jpg");
}

TEST_P(RelationshipsGuide, LoadAndLoadOnce) {
    seed();
    User user = User::findOrFail(1);
    lucid_test::QueryCounter counter(*db);
    // [snippet:load]
    user.load(&User::posts);          // runs the query, replaces what was loaded
    user.loadOnce(&User::posts);      // no query: already loaded
    user.load(&User::posts, [](lucid::ModelQuery<Post>& query) { query.where(&Post::isPublished, true); });
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);
    EXPECT_EQ(user.posts.size(), 2u);
    User local;
    EXPECT_THROW(local.load(&User::posts), lucid::Error);  // unpersisted: nothing to load
}

TEST_P(RelationshipsGuide, Preload) {
    seed();
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<User> users = User::query().preload(&User::profile).all();

    for (const User& user : users) {
        std::cout << user.email << ": " << (user.profile ? user.profile->avatarUrl : "no profile") << '\n';
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(users.size(), 3u);

    // [snippet:preload-many]
    std::vector<User> withEverything = User::query()
        .preload(&User::profile)
        .preload(&User::posts)
        .preload("publishedPosts")   // by name, as in Lucid
        .all();
    // [end-snippet]
    EXPECT_EQ(counter.count, 6);
    EXPECT_THROW(User::query().preload("comments"), lucid::UndefinedRelationship);
    for (const User& u : withEverything) {
        EXPECT_TRUE(u.profile.isLoaded());
        EXPECT_TRUE(u.posts.isLoaded());
        EXPECT_TRUE(u.publishedPosts.isLoaded());
    }
}

TEST_P(RelationshipsGuide, PreloadConstraintsAndNesting) {
    seed();
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload-constraints]
    std::vector<User> users = User::query()
        .orderBy(&User::id)
        .preload(&User::posts, [](lucid::ModelQuery<Post>& query) {
            query.where(&Post::isPublished, true).orderBy(&Post::points, lucid::Desc);
        })
        .all();
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(users.size(), 3u);
    ASSERT_EQ(users[0].posts.size(), 2u);
    EXPECT_EQ(users[0].posts[0].title, "Lucid 101");
    EXPECT_TRUE(users[1].posts.empty());

    // [snippet:preload-nested]
    std::vector<Profile> profiles = Profile::query()
        .preload(&Profile::user, [](lucid::ModelQuery<User>& query) {
            query.preload(&User::posts);   // profiles -> user -> posts
        })
        .all();

    for (const Profile& profile : profiles) {
        std::cout << profile.avatarUrl << ": " << profile.user->posts.size() << " posts\n";
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 5);  // + profiles, users, posts
    ASSERT_EQ(profiles.size(), 2u);
    for (const Profile& p : profiles) EXPECT_TRUE(p.user->posts.isLoaded());
}

TEST_P(RelationshipsGuide, RelatedQuery) {
    seed();
    // [snippet:related-query]
    User user = User::findOrFail(1);

    std::vector<Post> popular = user.related(&User::posts).query().where(&Post::points, ">=", 20).all();
    int64_t drafts = user.related(&User::posts).query().where(&Post::isPublished, false).count();
    user.related(&User::posts).query().where(&Post::isPublished, false).del();
    // [end-snippet]
    EXPECT_EQ(popular.size(), 2u);
    EXPECT_EQ(drafts, 1);
    EXPECT_FALSE(user.posts.isLoaded());  // the results are not kept on the user
    EXPECT_EQ(db->from("posts").count(), 3);  // romain's draft is still there
}

TEST_P(RelationshipsGuide, Existence) {
    seed();
    // [snippet:has]
    std::vector<User> authors = User::query().has(&User::posts).all();
    std::vector<User> prolific = User::query().has(&User::posts, ">", 2).all();
    std::vector<User> silent = User::query().doesntHave(&User::posts).all();
    // [end-snippet]
    EXPECT_EQ(authors.size(), 2u);
    ASSERT_EQ(prolific.size(), 1u);
    EXPECT_EQ(prolific[0].id, 1);
    ASSERT_EQ(silent.size(), 1u);
    EXPECT_EQ(silent[0].id, 3);

    // [snippet:where-has]
    std::vector<User> publishing = User::query()
        .whereHas(&User::posts, [](lucid::ModelQuery<Post>& query) {
            query.where(&Post::isPublished, true);
        })
        .all();

    // at least two published posts
    std::vector<User> regulars = User::query()
        .whereHas(&User::posts, [](lucid::ModelQuery<Post>& query) { query.where(&Post::isPublished, true); }, ">=", 2)
        .all();

    std::vector<User> withoutProfileOrPosts = User::query()
        .doesntHave(&User::profile)
        .orWhereDoesntHave(&User::posts, [](lucid::ModelQuery<Post>& query) { query.where(&Post::points, ">", 0); })
        .all();
    // [end-snippet]
    ASSERT_EQ(publishing.size(), 1u);
    EXPECT_EQ(publishing[0].id, 1);
    ASSERT_EQ(regulars.size(), 1u);
    ASSERT_EQ(withoutProfileOrPosts.size(), 1u);
    EXPECT_EQ(withoutProfileOrPosts[0].id, 3);
}

TEST_P(RelationshipsGuide, CountsAndAggregates) {
    seed();
    // [snippet:with-count]
    std::vector<User> users = User::query().withCount(&User::posts).orderBy(&User::id).all();

    for (const User& user : users) {
        for (const auto& [name, value] : user.extras())   // {"posts_count", 3}
            std::cout << user.email << ' ' << name << " = " << value.as<int64_t>() << '\n';
    }
    // [end-snippet]
    ASSERT_EQ(users.size(), 3u);
    ASSERT_NE(extra(users[0].extras(), "posts_count"), nullptr);
    EXPECT_EQ(extra(users[0].extras(), "posts_count")->as<int64_t>(), 3);
    EXPECT_EQ(extra(users[2].extras(), "posts_count")->as<int64_t>(), 0);

    // [snippet:with-count-alias]
    std::vector<User> counted = User::query()
        .withCount(&User::posts, [](lucid::ModelQuery<Post>& query) {
            query.where(&Post::isPublished, true).as("publishedCount");
        })
        .orderBy(&User::id)
        .all();
    // counted[0].extras(): {"publishedCount", 2}
    // [end-snippet]
    EXPECT_EQ(extra(counted[0].extras(), "publishedCount")->as<int64_t>(), 2);
    EXPECT_EQ(extra(counted[1].extras(), "publishedCount")->as<int64_t>(), 0);

    // [snippet:with-aggregate]
    std::vector<User> scored = User::query()
        .withAggregate(&User::posts, lucid::sum(&Post::points).as("totalPoints"))
        .withAggregate(&User::posts, lucid::max(&Post::points).as("bestPublished"),
                       [](lucid::ModelQuery<Post>& query) { query.where(&Post::isPublished, true); })
        .orderBy(&User::id)
        .all();
    // scored[0].extras(): {"totalPoints", 60}, {"bestPublished", 20}
    // [end-snippet]
    EXPECT_EQ(extra(scored[0].extras(), "totalPoints")->as<int64_t>(), 60);
    EXPECT_EQ(extra(scored[0].extras(), "bestPublished")->as<int64_t>(), 20);
    EXPECT_EQ(extra(scored[1].extras(), "totalPoints")->as<int64_t>(), 5);
    EXPECT_TRUE(extra(scored[1].extras(), "bestPublished")->isNull());  // max over no rows
    EXPECT_TRUE(extra(scored[2].extras(), "totalPoints")->isNull());    // sum over no rows: NULL, as in SQL
    auto unnamed = User::query().withAggregate(&User::posts, lucid::sum(&Post::points)).orderBy(&User::id).first();
    ASSERT_NE(extra(unnamed->extras(), "posts_sum"), nullptr);
    EXPECT_EQ(extra(unnamed->extras(), "posts_sum")->as<int64_t>(), 60);

    // [snippet:load-count]
    User user = User::findOrFail(2);
    user.loadCount(&User::posts);   // extras(): {"posts_count", 1}
    // [end-snippet]
    EXPECT_EQ(extra(user.extras(), "posts_count")->as<int64_t>(), 1);
}

TEST_P(RelationshipsGuide, OnQuery) {
    seed();
    // [snippet:on-query-use]
    std::vector<User> users = User::query().orderBy(&User::id).preload(&User::publishedPosts).all();

    User user = User::findOrFail(1);
    int64_t published = user.related(&User::publishedPosts).query().count();
    std::vector<User> publishers = User::query().has(&User::publishedPosts).all();
    // [end-snippet]
    EXPECT_EQ(users[0].publishedPosts.size(), 2u);
    EXPECT_TRUE(users[1].publishedPosts.empty());
    EXPECT_EQ(published, 2);
    ASSERT_EQ(publishers.size(), 1u);
    EXPECT_EQ(publishers[0].id, 1);
}

TEST_P(RelationshipsGuide, Serialization) {
    seed();
    // [snippet:serialize]
    User user = User::query()
        .where(&User::id, 1)
        .preload(&User::profile)
        .preload(&User::publishedPosts, [](lucid::ModelQuery<Post>& query) { query.orderBy(&Post::id); })
        .firstOrFail();

    nlohmann::json json = user.serialize();   // posts: not loaded, so not there
    std::cout << json.dump(2) << '\n';
    // [end-snippet]
    EXPECT_EQ(json, nlohmann::json::parse(R"({
        "id": 1,
        "email": "virk@adonisjs.com",
        "profile": {"id": 1, "userId": 1, "avatarUrl": "virk.jpg"},
        "published": [
            {"id": 1, "userId": 1, "title": "Adonis 101", "points": 10, "isPublished": true},
            {"id": 2, "userId": 1, "title": "Lucid 101", "points": 20, "isPublished": true}
        ]
    })"));
    User julien = User::query().where(&User::id, 3).preload(&User::profile).preload(&User::posts).firstOrFail();
    EXPECT_EQ(julien.serialize(), nlohmann::json::parse(R"({"id": 3, "email": "julien@adonisjs.com", "profile": null, "posts": []})"));
}

TEST_P(RelationshipsGuide, PersistingInOneTransaction) {
    lucid_test::QueryCounter counter(*db);
    // [snippet:persist]
    User user;
    user.email = "virk@adonisjs.com";

    Profile profile;
    profile.avatarUrl = "foo.jpg";

    user.related(&User::profile).save(profile);   // INSERT user, INSERT profile: one transaction
    // [end-snippet]
    EXPECT_TRUE(counter.sqls.front().starts_with("begin")) << counter.sqls.front();  // "begin immediate" on SQLite
    EXPECT_EQ(counter.sqls.back(), "commit");
    EXPECT_EQ(profile.userId, std::optional<int64_t>(user.id));
}

TEST_P(RelationshipsGuide, ManagedTransaction) {
    lucid::Database& db = *this->db;
    // [snippet:transaction]
    db.transaction([](lucid::Transaction& trx) {
        User user;
        user.email = "virk@adonisjs.com";
        user.useTransaction(trx);

        Profile profile;
        profile.avatarUrl = "foo.jpg";
        user.related(&User::profile).save(profile);   // a savepoint inside trx

        user.related(&User::posts).createMany({{.title = "Adonis 101"}, {.title = "Lucid 101"}});
    });   // commits here; an exception thrown above would roll back all of it
    // [end-snippet]
    EXPECT_EQ(db.from("users").count(), 1);
    EXPECT_EQ(db.from("profiles").count(), 1);
    EXPECT_EQ(db.from("posts").count(), 2);

    EXPECT_THROW(db.transaction([](lucid::Transaction& trx) {
        User user;
        user.email = "romain@adonisjs.com";
        user.useTransaction(trx);
        user.related(&User::profile).create({.avatarUrl = "bar.jpg"});
        throw std::runtime_error("changed my mind");
    }),
                 std::runtime_error);
    EXPECT_EQ(db.from("users").count(), 1);
    EXPECT_EQ(db.from("profiles").count(), 1);
}

TEST_P(RelationshipsGuide, ManualTransactionAndPreloadInIt) {
    seed();
    lucid::Database& db = *this->db;
    std::vector<std::string> outside;  // statements run outside the transaction
    auto sub = db.onQuery([&](const lucid::QueryEvent& e) {
        if (!e.inTransaction) outside.emplace_back(e.sql);
    });
    // [snippet:manual-transaction]
    lucid::Transaction trx = db.transaction();

    // the query, its preloads and the models it returns all use trx
    std::vector<User> users = User::query(trx).preload(&User::profile).preload(&User::posts).all();
    users[0].related(&User::posts).create({.title = "Written in trx"});

    trx.commit();   // or trx.rollback(); destroyed while open: rolled back
    // [end-snippet]
    for (const std::string& sql : outside) EXPECT_TRUE(sql.starts_with("begin") || sql == "commit") << sql;
    EXPECT_EQ(db.from("posts").count(), 5);
}

LUCID_DB_TEST_SUITE(RelationshipsGuide);

}  // namespace relationships_guide
