#pragma once
// Users, profiles and posts: the models the relationship tests share.
#include <lucid/lucid.hpp>

namespace blog {

struct Profile;
struct Post;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<std::string> uuid;
    lucid::HasOne<Profile> profile;
    lucid::HasMany<Post> posts;
    lucid::HasMany<Post> publishedPosts;

    static void define(lucid::ModelDefinition<User>& m);
};

struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string avatarUrl;
    bool isActive = false;
    lucid::BelongsTo<User> user;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::userId, "userId");
        m.column(&Profile::avatarUrl, "avatarUrl");
        m.column(&Profile::isActive, "isActive");
        m.belongsTo(&Profile::user, "user");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    std::optional<std::string> body;
    int32_t points = 0;
    bool isPublished = false;
    lucid::BelongsTo<User> author;

    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
        m.column(&Post::body, "body");
        m.column(&Post::points, "points");
        m.column(&Post::isPublished, "isPublished");
        m.belongsTo(&Post::author, "author", {.foreignKey = "userId"});
    }
};

inline void User::define(lucid::ModelDefinition<User>& m) {
    m.column(&User::id, "id", {.isPrimary = true});
    m.column(&User::email, "email");
    m.column(&User::uuid, "uuid");
    m.hasOne(&User::profile, "profile");
    m.hasMany(&User::posts, "posts");
    m.hasMany(&User::publishedPosts, "publishedPosts",
              {.serializeAs = "published", .onQuery = [](lucid::ModelQuery<Post>& q) { q.where(&Post::isPublished, true); }});
}

inline void createTables(lucid::Database& db) {
    auto s = db.schema();
    for (const char* t : {"posts", "profiles", "users"}) s.dropTableIfExists(t, /*cascade=*/true);
    s.createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
        t.string("uuid").nullable();
    });
    s.createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").nullable();
        t.string("avatar_url").notNullable();
        t.boolean("is_active").defaultTo(false);
    });
    s.createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").nullable();
        t.string("title").notNullable();
        t.text("body").nullable();
        t.integer("points").defaultTo(0);
        t.boolean("is_published").defaultTo(false);
    });
}

}  // namespace blog
