// The samples of docs/factories.md: scripts/docs_snippets.py copies each snippet region of this file
// into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <optional>
#include <string>
#include <vector>

namespace factories_guide {

struct Post;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    bool isAdmin = false;
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::isAdmin, "isAdmin");
        m.hasMany(&User::posts, "posts");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    bool isPublished = false;
    lucid::BelongsTo<User> author;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::isPublished, "isPublished");
        m.belongsTo(&Post::author, "author", {.foreignKey = "userId"});
    }
};

// [snippet:define]
auto postFactory() {
    return lucid::factory<Post>([](lucid::FactoryContext& f) {
               return Post{.title = "Post " + std::to_string(f.sequence())};  // 1, 2, 3...
           })
        .state("published", [](Post& p) { p.isPublished = true; });
}

auto userFactory() {
    return lucid::factory<User>([](lucid::FactoryContext& f) {
               return User{.email = "user" + std::to_string(f.sequence()) + "@example.com"};
           })
        .state("admin", [](User& u) { u.isAdmin = true; })
        .relation(&User::posts, postFactory());
}
// [end-snippet]

class FactoriesGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users"});
        db->schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").unique();
            t.boolean("is_admin").defaultTo(false);
        });
        db->schema().createTable("posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable().references("id").inTable("users");
            t.string("title");
            t.boolean("is_published").defaultTo(false);
        });
    }
};

TEST_P(FactoriesGuide, MakeAndCreate) {
    // [snippet:use]
    auto UserFactory = userFactory();
    User user = UserFactory.create();                      // inserted: user1@example.com
    std::vector<User> users = UserFactory.createMany(3);  // user2, user3, user4, in one transaction
    User local = UserFactory.make();                       // not inserted: user5@example.com
    // [end-snippet]
    EXPECT_TRUE(user.isPersisted());
    EXPECT_EQ(users.size(), 3u);
    EXPECT_FALSE(local.isPersisted());
    EXPECT_EQ(local.email, "user5@example.com");
    EXPECT_EQ(db->rawQuery("select count(*) as n from users")[0].get<int64_t>("n"), 4);
}

TEST_P(FactoriesGuide, StatesAndMerge) {
    auto UserFactory = userFactory();
    // [snippet:states]
    User admin = UserFactory.apply("admin").create();
    User named = UserFactory.apply("admin").merge({{"email", "virk@adonisjs.com"}}).create();
    // [end-snippet]
    EXPECT_TRUE(admin.isAdmin);
    EXPECT_EQ(named.email, "virk@adonisjs.com");
    // [snippet:unknown-state]
    try {
        UserFactory.apply("superuser");
    } catch (const lucid::Error& e) {
        // E_UNDEFINED_FACTORY_STATE: Cannot apply undefined state "superuser". Double check the model factory of "User"
        std::string reason = e.what();
    }
    // [end-snippet]
    EXPECT_THROW(UserFactory.apply("superuser"), lucid::Error);
}

TEST_P(FactoriesGuide, Relationships) {
    auto UserFactory = userFactory();
    // [snippet:with]
    User user = UserFactory.with(&User::posts, 3).create();  // and 3 posts with user.id as their userId
    for (const Post& post : user.posts) {                    // the posts are set on the user
        std::string title = post.title;
    }
    std::vector<User> authors = UserFactory.with(&User::posts, 2, [](lucid::FactoryBuilder<Post>& posts) {
                                               posts.apply("published");
                                           })
                                    .createMany(5);
    // [end-snippet]
    EXPECT_EQ(user.posts.size(), 3u);
    EXPECT_EQ(authors.size(), 5u);
    EXPECT_EQ(db->rawQuery("select count(*) as n from posts where is_published = ?", {true})[0].get<int64_t>("n"), 10);
    // [snippet:belongs-to]
    auto PostFactory = postFactory().relation(&Post::author, UserFactory);  // shares its sequence
    Post post = PostFactory.with(&Post::author).create();  // the user first, then the post with its userId
    // [end-snippet]
    EXPECT_EQ(post.userId, post.author->id);
}

TEST_P(FactoriesGuide, Transaction) {
    auto UserFactory = userFactory();
    // [snippet:transaction]
    db->transaction([&](lucid::Transaction& trx) {
        User user = UserFactory.with(&User::posts, 2).create(trx);
        // ... the test's work, then nothing of it stays
        trx.rollback();
    });
    // [end-snippet]
    EXPECT_EQ(db->rawQuery("select count(*) as n from users")[0].get<int64_t>("n"), 0);
}

LUCID_DB_TEST_SUITE(FactoriesGuide);

}  // namespace factories_guide
