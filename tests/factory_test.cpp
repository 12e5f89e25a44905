// Model factories: sequences, make/create, states and merge, related rows in one transaction.
#include "support/db_test.hpp"

using namespace lucid;

namespace {

struct Post;
struct Profile;
struct Tag;

struct User : BaseModel<User> {
    int64_t id = 0;
    std::string email;
    bool isAdmin = false;
    int32_t points = 0;
    HasMany<Post> posts;
    HasOne<Profile> profile;
    ManyToMany<Tag> tags;
    static void define(ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::isAdmin, "isAdmin");
        m.column(&User::points, "points");
        m.hasMany(&User::posts, "posts");
        m.hasOne(&User::profile, "profile");
        m.manyToMany(&User::tags, "tags");
    }
};

struct Post : BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    bool isPublished = false;
    BelongsTo<User> author;
    static void define(ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::isPublished, "isPublished");
        m.belongsTo(&Post::author, "author", {.foreignKey = "userId"});
    }
};

struct Profile : BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string bio;
    static void define(ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::userId, "userId");
        m.column(&Profile::bio, "bio");
    }
};

struct Tag : BaseModel<Tag> {
    int64_t id = 0;
    std::string name;
    static void define(ModelDefinition<Tag>& m) {
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::name, "name");
    }
};

auto postFactory() {
    return factory<Post>([](FactoryContext& f) { return Post{.title = "Post " + std::to_string(f.sequence())}; })
        .state("published", [](Post& p) { p.isPublished = true; });
}

auto userFactory() {
    return factory<User>([](FactoryContext& f) {
               return User{.email = "user" + std::to_string(f.sequence()) + "@example.com", .points = 1};
           })
        .state("admin", [](User& u) {
            u.isAdmin = true;
            u.points = 100;
        })
        .state("rich", [](User& u) { u.points += 1000; })
        .relation(&User::posts, postFactory())
        .relation(&User::profile, factory<Profile>([](FactoryContext&) { return Profile{.bio = "hello"}; }))
        .relation(&User::tags, factory<Tag>([](FactoryContext& f) { return Tag{.name = "tag" + std::to_string(f.sequence())}; }));
}

class FactoryTest : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"tag_user", "tags", "profiles", "posts", "users"});
        auto s = db->schema();
        s.createTable("users", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").unique();
            t.boolean("is_admin").defaultTo(false);
            t.integer("points").defaultTo(0);
        });
        s.createTable("posts", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("title").unique();
            t.boolean("is_published").defaultTo(false);
        });
        s.createTable("profiles", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("bio");
        });
        s.createTable("tags", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        s.createTable("tag_user", [](TableBuilder& t) {
            t.increments("id");
            t.integer("user_id");
            t.integer("tag_id");
        });
    }
    int64_t count(const std::string& sql, const Bindings& b = {}) { return db->rawQuery(sql, b)[0].get<int64_t>("n"); }
};

TEST_P(FactoryTest, SequenceCountsPerFactory) {
    auto users = userFactory();
    auto posts = postFactory();
    EXPECT_EQ(users.make().email, "user1@example.com");
    EXPECT_EQ(users.make().email, "user2@example.com");
    EXPECT_EQ(posts.make().title, "Post 1");  // another factory: its own count
    EXPECT_EQ(users.create().email, "user3@example.com");  // make and create share the count
    auto copy = users;                                     // copies share it too
    EXPECT_EQ(copy.make().email, "user4@example.com");
    EXPECT_EQ(userFactory().make().email, "user1@example.com");  // a new factory starts at 1
}

TEST_P(FactoryTest, MakeDoesNotInsert) {
    User u = userFactory().make();
    EXPECT_FALSE(u.isPersisted());
    EXPECT_EQ(u.id, 0);
    EXPECT_EQ(userFactory().makeMany(3).size(), 3u);
    EXPECT_EQ(count("select count(*) as n from users"), 0);
}

TEST_P(FactoryTest, CreateInserts) {
    User u = userFactory().create();
    EXPECT_TRUE(u.isPersisted());
    Result r = db->rawQuery("select email, points from users where id = ?", {u.id});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].get<std::string>("email"), "user1@example.com");
    EXPECT_EQ(r[0].get<int64_t>("points"), 1);
    u.points = 5;
    u.save();  // the model works on its own after the factory's transaction ended
    EXPECT_EQ(count("select points as n from users where id = ?", {u.id}), 5);
}

TEST_P(FactoryTest, CreateManyGivesDistinctKeys) {
    std::vector<User> us = userFactory().createMany(4);
    ASSERT_EQ(us.size(), 4u);
    std::set<int64_t> ids;
    for (const auto& u : us) ids.insert(u.id);
    EXPECT_EQ(ids.size(), 4u);
    EXPECT_EQ(ids.count(0), 0u);
    EXPECT_EQ(count("select count(distinct id) as n from users"), 4);
}

TEST_P(FactoryTest, MergeWinsOverStatesWhichWinOverDefaults) {
    auto users = userFactory();
    EXPECT_EQ(users.make().points, 1);
    EXPECT_EQ(users.apply("admin").make().points, 100);
    User u = users.apply("admin").merge({{"points", 7}, {"email", "x@y.z"}}).make();
    EXPECT_EQ(u.points, 7);
    EXPECT_EQ(u.email, "x@y.z");
    EXPECT_TRUE(u.isAdmin);
    // states run in the order applied; one applied twice runs twice
    EXPECT_EQ(users.apply("admin", "rich").make().points, 1100);
    EXPECT_EQ(users.apply("rich").apply("rich").make().points, 2001);
    // the factory itself is unchanged by its builders
    EXPECT_FALSE(users.make().isAdmin);
    User created = users.apply("admin").merge({{"email", "boss@y.z"}}).create();
    Result r = db->rawQuery("select is_admin, points from users where email = 'boss@y.z'");
    ASSERT_EQ(r.size(), 1u);
    EXPECT_TRUE(r[0].get<bool>("is_admin"));
    EXPECT_EQ(r[0].get<int64_t>("points"), 100);
    (void)created;
}

TEST_P(FactoryTest, UnknownStateIsNamed) {
    try {
        userFactory().apply("superuser").make();
        FAIL() << "apply of an unknown state should throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_UNDEFINED_FACTORY_STATE");
        EXPECT_NE(std::string(e.what()).find("Cannot apply undefined state \"superuser\""), std::string::npos) << e.what();
    }
}

TEST_P(FactoryTest, UnknownRelationIsNamed) {
    auto bare = factory<User>([](FactoryContext& f) { return User{.email = std::to_string(f.sequence())}; });
    try {
        bare.with(&User::posts, 2).create();
        FAIL() << "with() of a relation without a factory should throw";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_UNDEFINED_FACTORY_RELATION");
        EXPECT_NE(std::string(e.what()).find("\"posts\""), std::string::npos) << e.what();
    }
}

TEST_P(FactoryTest, WithCreatesChildrenWithTheParentsKey) {
    std::vector<User> us = userFactory().apply("admin").with(&User::posts, 3).createMany(2);
    ASSERT_EQ(us.size(), 2u);
    for (const User& u : us) {
        EXPECT_TRUE(u.isAdmin);
        EXPECT_TRUE(u.posts.isLoaded());
        ASSERT_EQ(u.posts.size(), 3u);
        for (const Post& p : u.posts) EXPECT_EQ(p.userId, u.id);
        EXPECT_EQ(count("select count(*) as n from posts where user_id = ?", {u.id}), 3);
    }
    EXPECT_EQ(count("select count(*) as n from posts"), 6);
    EXPECT_EQ(count("select count(distinct title) as n from posts"), 6);
}

TEST_P(FactoryTest, WithTweaksTheRelatedFactory) {
    User u = userFactory().with(&User::posts, 2, [](FactoryBuilder<Post>& p) { p.apply("published"); }).create();
    EXPECT_EQ(count("select count(*) as n from posts where user_id = ? and is_published = ?", {u.id, true}), 2);
}

TEST_P(FactoryTest, WithHasOneAndManyToMany) {
    User u = userFactory().with(&User::profile).with(&User::tags, 2).create();
    ASSERT_TRUE(u.profile.isLoaded());
    EXPECT_EQ(u.profile->userId, u.id);
    EXPECT_EQ(count("select count(*) as n from profiles where user_id = ?", {u.id}), 1);
    EXPECT_EQ(u.tags.size(), 2u);
    EXPECT_EQ(count("select count(*) as n from tag_user where user_id = ?", {u.id}), 2);
    EXPECT_EQ(count("select count(*) as n from tags"), 2);
    EXPECT_THROW(userFactory().with(&User::profile, 2), Error);
}

TEST_P(FactoryTest, WithBelongsToCreatesTheParentFirst) {
    auto posts = postFactory().relation(&Post::author, userFactory());
    Post p = posts.with(&Post::author).create();
    ASSERT_TRUE(p.author.isLoaded());
    ASSERT_TRUE(p.userId.has_value());
    EXPECT_EQ(*p.userId, p.author->id);
    EXPECT_EQ(count("select count(*) as n from posts where user_id = ?", {p.author->id}), 1);
}

TEST_P(FactoryTest, AFailingChildLeavesNoParent) {
    // every user's posts are titled "Same": the second post breaks the unique index
    auto same = factory<Post>([](FactoryContext&) { return Post{.title = "Same"}; });
    auto users = userFactory().relation(&User::posts, same);
    EXPECT_THROW(users.with(&User::posts, 2).create(), QueryError);
    EXPECT_EQ(count("select count(*) as n from users"), 0);
    EXPECT_EQ(count("select count(*) as n from posts"), 0);
    EXPECT_THROW(users.with(&User::posts, 1).createMany(2), QueryError);
    EXPECT_EQ(count("select count(*) as n from users"), 0);
}

TEST_P(FactoryTest, CreateInAGivenTransaction) {
    db->transaction([&](Transaction& trx) {
        User u = userFactory().with(&User::posts, 2).create(trx);
        EXPECT_EQ(trx.rawQuery("select count(*) as n from posts where user_id = ?", {u.id})[0].get<int64_t>("n"), 2);
        trx.rollback();
    });
    EXPECT_EQ(count("select count(*) as n from users"), 0);
    EXPECT_EQ(count("select count(*) as n from posts"), 0);
    std::vector<User> us = db->transaction([&](Transaction& trx) { return userFactory().createMany(2, trx); });
    EXPECT_EQ(us.size(), 2u);
    EXPECT_EQ(count("select count(*) as n from users"), 2);
}

INSTANTIATE_TEST_SUITE_P(Databases, FactoryTest, ::testing::ValuesIn(lucid_test::databaseUrls()), lucid_test::databaseName);

}  // namespace
