// The "A taste" sample of the repository's README.md: scripts/docs_snippets.py copies the snippet region
// of this file into it, and the test suite runs it. The README's sample is one piece, models and statements
// together, so here it lives in a function body: its models are local classes, and its #include is a no-op
// (lucid.hpp is already included, and has #pragma once). It uses a SQLite file, so it is a plain TEST.
#include "support/db_test.hpp"
#include "scoped_temp_dir.hpp"

#include <optional>
#include <string>

TEST(Readme, ATaste) {
    lucid_samples::ScopedTempDir here;  // app.db is created in a fresh temporary folder
    {
        lucid::Database setup{"sqlite:app.db"};
        setup.schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
        });
        setup.schema().createTable("profiles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable().references("users.id");
            t.string("avatar_url").notNullable();
        });
    }
    // The README leaves the User model out.
    struct User : lucid::BaseModel<User> {
        int64_t id = 0;
        std::string email;

        static void define(lucid::ModelDefinition<User>& m) {
            m.column(&User::id, "id", {.isPrimary = true});
            m.column(&User::email, "email");
        }
    };

    // [snippet:taste]
    #include <lucid/lucid.hpp>

    struct User;

    struct Profile : lucid::BaseModel<Profile> {
        int64_t id = 0;
        std::optional<int64_t> userId;   // foreign key
        std::string avatarUrl;
        lucid::BelongsTo<User> user;

        static void define(lucid::ModelDefinition<Profile>& m) {
            m.column(&Profile::id, "id", {.isPrimary = true});
            m.column(&Profile::userId, "userId");
            m.column(&Profile::avatarUrl, "avatarUrl");
            m.belongsTo(&Profile::user, "user");     // foreign key "userId", local key User.id
        }
    };

    lucid::Database db{"sqlite:app.db"};
    lucid::useDatabase(db);

    User user = User::create({.email = "ada@example.com"});
    Profile profile;
    profile.related(&Profile::user).associate(user);          // one transaction
    auto profiles = Profile::query().preload(&Profile::user).all();   // two queries, whatever the count
    // [end-snippet]
    EXPECT_EQ(user.id, 1);
    EXPECT_EQ(profile.id, 1);  // associate saved the new profile
    EXPECT_EQ(profile.userId, user.id);
    ASSERT_EQ(profiles.size(), 1u);
    ASSERT_TRUE(profiles[0].user.isLoaded());
    EXPECT_EQ(profiles[0].user->email, "ada@example.com");
    EXPECT_EQ(db.from("profiles").first()->get<int64_t>("user_id"), user.id);

    User bob = User::create({.email = "bob@example.com"});
    lucid_test::QueryCounter queries(db);
    Profile second;
    second.avatarUrl = "b.png";
    second.related(&Profile::user).associate(bob);
    ASSERT_GE(queries.sqls.size(), 3u);
    int begins = 0, commits = 0;
    for (const std::string& sql : queries.sqls) {
        begins += sql.starts_with("begin");
        commits += sql == "commit";
    }
    EXPECT_EQ(begins, 1);
    EXPECT_EQ(commits, 1);
    for (int i = 0; i < 10; ++i) Profile::create({.userId = user.id, .avatarUrl = "p" + std::to_string(i)});
    queries.count = 0;
    auto all = Profile::query().preload(&Profile::user).all();
    EXPECT_EQ(all.size(), 12u);
    EXPECT_EQ(queries.count, 2);  // two queries, whatever the count
    for (const Profile& p : all) EXPECT_TRUE(p.user.isLoaded());
}
