// The samples of docs/relationships/has-many.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace has_many_guide {

// [snippet:models]
struct Post;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.hasMany(&User::posts, "posts");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;  // the foreign key
    std::string title;
    std::string body;
    bool isPublished = false;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::body, "body");
        m.column(&Post::isPublished, "isPublished");
    }
};
// [end-snippet]

// [snippet:migrations]
void createTables(lucid::QueryClient& db) {
    auto schema = db.schema();
    schema.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
    });
    schema.createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().nullable();
        t.string("title").notNullable();
        t.text("body").notNullable();
        t.boolean("is_published").defaultTo(false);
    });
}
// [end-snippet]

namespace custom_foreign_key {
struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> authorId;
    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::authorId, "authorId");
    }
};

// [snippet:custom-foreign-key]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.hasMany(&User::posts, "posts", {.foreignKey = "authorId"});  // Post::authorId
    }
};
// [end-snippet]
}  // namespace custom_foreign_key

namespace custom_local_key {
struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<std::string> authorId;
    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::authorId, "authorId");
    }
};

// [snippet:custom-local-key]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string uuid;
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::uuid, "uuid");
        m.hasMany(&User::posts, "posts", {.localKey = "uuid", .foreignKey = "authorId"});
    }
};
// [end-snippet]
}  // namespace custom_local_key

// DbTest::dropTables drops with CASCADE on PostgreSQL, where the suite's programs share one database.
using GuideTest = lucid_test::DbTest;

class HasManyGuide : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users"});
        createTables(*db);
    }
    // user 1 (virk) with `n` posts, every other one published (the first is); user 2 (romain) without posts
    void seed(int n) {
        ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
        ASSERT_EQ(User::create({.email = "romain@example.com"}).id, 2);
        for (int i = 1; i <= n; ++i)
            Post::create({.userId = 1, .title = "Post " + std::to_string(i), .body = "...", .isPublished = i % 2 == 1});
    }
};

TEST_P(HasManyGuide, DefaultKeysAndSchema) {
    const auto& relation = User::meta().relation("posts");
    EXPECT_STREQ(relation.kind(), "hasMany");
    EXPECT_EQ(relation.ownerKey->property, "id");
    EXPECT_EQ(relation.relatedKey->property, "userId");
    EXPECT_TRUE((lucid::checkSchema<User, Post>(*db)).empty());
}

TEST_P(HasManyGuide, PreloadWithConstraints) {
    seed(3);
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<User> users = User::query()
        .orderBy(&User::id)
        .preload(&User::posts, [](lucid::ModelQuery<Post>& query) {
            query.where(&Post::isPublished, true).orderBy(&Post::id, lucid::Desc);
        })
        .all();

    for (const User& user : users) {
        std::cout << user.email << " published " << user.posts.size() << " posts\n";
        for (const Post& post : user.posts) std::cout << "  " << post.title << '\n';
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);  // the users, then the posts of all of them
    ASSERT_EQ(users.size(), 2u);
    ASSERT_EQ(users[0].posts.size(), 2u);
    EXPECT_EQ(users[0].posts[0].title, "Post 3");
    EXPECT_EQ(users[0].posts[1].title, "Post 1");
    EXPECT_TRUE(users[1].posts.isLoaded());
    EXPECT_TRUE(users[1].posts.empty());
}

TEST_P(HasManyGuide, Save) {
    ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
    // [snippet:save]
    User user = User::findOrFail(1);

    Post post;
    post.title = "Adonis 101";
    post.body = "Lorem Ipsum is simply dummy text";

    user.related(&User::posts).save(post);  // post.userId = user.id, then INSERT
    // [end-snippet]
    EXPECT_TRUE(post.isPersisted());
    EXPECT_EQ(post.userId, std::optional<int64_t>(1));
}

TEST_P(HasManyGuide, CreateMany) {
    ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
    // [snippet:create-many]
    User user = User::findOrFail(1);

    std::vector<Post> posts = user.related(&User::posts).createMany({
        {.title = "Adonis 101", .body = "Lorem Ipsum is simply dummy text"},
        {.title = "NodeJS 101", .body = "Lorem Ipsum is simply dummy text"},
    });
    // [end-snippet]
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_TRUE(posts[0].isPersisted());
    EXPECT_TRUE(posts[1].isPersisted());
    EXPECT_EQ(posts[1].userId, std::optional<int64_t>(1));
    EXPECT_EQ(user.related(&User::posts).query().count(), 2);
}

TEST_P(HasManyGuide, SaveMany) {
    lucid_test::QueryCounter counter(*db);
    // [snippet:save-many]
    User user;
    user.email = "virk@adonisjs.com";

    Post post;
    post.title = "Adonis 101";
    post.body = "Lorem Ipsum is simply dummy text";

    Post post1;
    post1.title = "NodeJS 101";
    post1.body = "Lorem Ipsum is simply dummy text";

    std::vector<Post> posts{post, post1};
    user.related(&User::posts).saveMany(posts);  // the user first, then both posts: one transaction
    // [end-snippet]
    EXPECT_TRUE(user.isPersisted());
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_TRUE(posts[0].isPersisted());
    EXPECT_EQ(posts[1].userId, std::optional<int64_t>(user.id));
    EXPECT_FALSE(post.isPersisted());  // the vector holds copies: those were saved
    ASSERT_EQ(counter.sqls.size(), 5u);  // begin, user, post, post, commit
    EXPECT_TRUE(counter.sqls.front().starts_with("begin")) << counter.sqls.front();  // "begin immediate" on SQLite
    EXPECT_EQ(counter.sqls.back(), "commit");
}

TEST_P(HasManyGuide, FetchOrCreateMany) {
    seed(2);
    // [snippet:fetch-or-create-many]
    User user = User::findOrFail(1);

    // "Post 1" exists already and is fetched; "Post 9" is created
    std::vector<Post> posts = user.related(&User::posts).fetchOrCreateMany(
        {{.title = "Post 1", .body = "new body"}, {.title = "Post 9", .body = "Lorem Ipsum"}},
        {"title"});
    // [end-snippet]
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[0].id, 1);
    EXPECT_EQ(posts[0].body, "...");  // fetched as it was
    EXPECT_TRUE(posts[1].isPersisted());
    EXPECT_EQ(posts[1].userId, std::optional<int64_t>(1));
    EXPECT_EQ(user.related(&User::posts).query().count(), 3);
}

TEST_P(HasManyGuide, UpdateOrCreateMany) {
    seed(2);
    // [snippet:update-or-create-many]
    User user = User::findOrFail(1);

    // "Post 1" is updated with the payload's other columns; "Post 9" is created
    std::vector<Post> posts = user.related(&User::posts).updateOrCreateMany(
        {{.title = "Post 1", .body = "new body", .isPublished = true},
         {.title = "Post 9", .body = "Lorem Ipsum"}},
        {"title"});
    // [end-snippet]
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[0].id, 1);
    EXPECT_EQ(Post::findOrFail(1).body, "new body");
    EXPECT_TRUE(Post::findOrFail(1).isPublished);
    EXPECT_EQ(posts[1].userId, std::optional<int64_t>(1));
    EXPECT_EQ(user.related(&User::posts).query().count(), 3);

    // every column of the payload is written, defaults included: Post 1 is unpublished again
    user.related(&User::posts).updateOrCreateMany({{.title = "Post 1", .body = "new body"}}, {"title"});
    EXPECT_FALSE(Post::findOrFail(1).isPublished);
}

TEST_P(HasManyGuide, FirstOrCreateAndUpdateOrCreate) {
    seed(1);
    User user = User::findOrFail(1);
    // [snippet:first-or-create]
    Post welcome = user.related(&User::posts).firstOrCreate({{"title", "Welcome"}}, {{"body", "Hello!"}});
    Post updated = user.related(&User::posts).updateOrCreate({{"title", "Welcome"}}, {{"body", "Hello again!"}});
    // [end-snippet]
    EXPECT_TRUE(welcome.isPersisted());
    EXPECT_EQ(updated.id, welcome.id);
    EXPECT_EQ(Post::findOrFail(welcome.id).body, "Hello again!");
    EXPECT_EQ(user.related(&User::posts).query().count(), 2);
}

TEST_P(HasManyGuide, RelatedQueryAndPaginate) {
    seed(25);
    // [snippet:paginate]
    User user = User::findOrFail(1);

    lucid::Page<Post> page = user.related(&User::posts)
        .query()
        .where(&Post::isPublished, true)
        .orderBy(&Post::id)
        .paginate(2, 10);  // page 2, 10 per page

    std::cout << "page " << page.currentPage() << " of " << page.lastPage() << ", " << page.total() << " posts\n";
    for (const Post& post : page.items()) std::cout << post.title << '\n';
    // [end-snippet]
    EXPECT_EQ(page.total(), 13);
    EXPECT_EQ(page.lastPage(), 2);
    EXPECT_EQ(page.perPage(), 10);
    ASSERT_EQ(page.items().size(), 3u);
    EXPECT_EQ(page.items()[0].title, "Post 21");
    EXPECT_FALSE(user.posts.isLoaded());

    // [snippet:related-update-delete]
    user.related(&User::posts).query().where(&Post::isPublished, false).update({{"body", "draft"}});
    user.related(&User::posts).query().where(&Post::isPublished, false).del();
    // [end-snippet]
    EXPECT_EQ(user.related(&User::posts).query().count(), 13);
    EXPECT_EQ(db->from("posts").where("body", "draft").count(), 0);
}

TEST_P(HasManyGuide, WithCount) {
    seed(3);
    // [snippet:with-count]
    std::vector<User> users = User::query().withCount(&User::posts).orderBy(&User::id).all();

    for (const User& user : users) {
        for (const auto& [name, value] : user.extras())
            if (name == "posts_count") std::cout << user.email << " wrote " << value.as<int64_t>() << " posts\n";
    }
    // [end-snippet]
    ASSERT_EQ(users.size(), 2u);
    ASSERT_EQ(users[0].extras().size(), 1u);
    EXPECT_EQ(users[0].extras()[0].first, "posts_count");
    EXPECT_EQ(users[0].extras()[0].second.as<int64_t>(), 3);
    EXPECT_EQ(users[1].extras()[0].second.as<int64_t>(), 0);

    // [snippet:with-count-constrained]
    std::vector<User> authors = User::query()
        .withCount(&User::posts, [](lucid::ModelQuery<Post>& query) {
            query.where(&Post::isPublished, true).as("publishedCount");
        })
        .has(&User::posts, ">=", 2)
        .all();
    // authors[0].extras(): {"publishedCount", 2}
    // [end-snippet]
    ASSERT_EQ(authors.size(), 1u);
    ASSERT_EQ(authors[0].extras().size(), 1u);
    EXPECT_EQ(authors[0].extras()[0].first, "publishedCount");
    EXPECT_EQ(authors[0].extras()[0].second.as<int64_t>(), 2);

    // [snippet:load-count]
    User user = User::findOrFail(1);
    user.loadCount(&User::posts);  // extras(): {"posts_count", 3}
    // [end-snippet]
    ASSERT_EQ(user.extras().size(), 1u);
    EXPECT_EQ(user.extras()[0].second.as<int64_t>(), 3);
}

LUCID_DB_TEST_SUITE(HasManyGuide);

class HasManyCustomKeys : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users"});
    }
};

TEST_P(HasManyCustomKeys, ForeignKey) {
    using custom_foreign_key::Post;
    using custom_foreign_key::User;
    db->schema().createTable("users", [](lucid::TableBuilder& t) { t.increments("id"); });
    db->schema().createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("author_id").nullable();
    });
    EXPECT_TRUE((lucid::checkSchema<User, Post>(*db)).empty());
    User user;
    auto posts = user.related(&User::posts).createMany({{}, {}});
    EXPECT_EQ(posts[1].authorId, std::optional<int64_t>(user.id));
    auto users = User::query().preload(&User::posts).all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].posts.size(), 2u);
}

TEST_P(HasManyCustomKeys, LocalKey) {
    using custom_local_key::Post;
    using custom_local_key::User;
    db->schema().createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("uuid").notNullable();
    });
    db->schema().createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("author_id").nullable();
    });
    EXPECT_TRUE((lucid::checkSchema<User, Post>(*db)).empty());
    User user = User::create({.uuid = "9b1c-virk"});
    auto posts = user.related(&User::posts).createMany({{}, {}});
    EXPECT_EQ(posts[0].authorId, std::optional<std::string>("9b1c-virk"));
    auto users = User::query().preload(&User::posts).all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].posts.size(), 2u);
}

LUCID_DB_TEST_SUITE(HasManyCustomKeys);

}  // namespace has_many_guide
