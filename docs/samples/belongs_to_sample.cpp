// The samples of docs/relationships/belongs-to.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace belongs_to_guide {

// [snippet:user-model]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
    }
};
// [end-snippet]

// [snippet:profile-model]
struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;  // the foreign key
    std::string avatarUrl;
    bool isActive = false;
    lucid::BelongsTo<User> user;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::userId, "userId");
        m.column(&Profile::avatarUrl, "avatarUrl");
        m.column(&Profile::isActive, "isActive");
        // [snippet:declare]
        m.belongsTo(&Profile::user, "user");
        // [end-snippet]
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
    schema.createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().nullable();  // same type as users.id; no constraint needed
        t.string("avatar_url").notNullable();
        t.boolean("is_active").defaultTo(false);
    });
}
// [end-snippet]

namespace custom_foreign_key {
// [snippet:custom-foreign-key]
struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> profileUserId;
    lucid::BelongsTo<User> user;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::profileUserId, "profileUserId");
        m.belongsTo(&Profile::user, "user", {.foreignKey = "profileUserId"});
    }
};
// [end-snippet]
}  // namespace custom_foreign_key

namespace custom_local_key {
// [snippet:custom-local-key]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string uuid;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::uuid, "uuid");
    }
};

struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<std::string> profileUserId;  // holds a users.uuid
    lucid::BelongsTo<User> user;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::profileUserId, "profileUserId");
        m.belongsTo(&Profile::user, "user", {.localKey = "uuid", .foreignKey = "profileUserId"});
    }
};
// [end-snippet]
}  // namespace custom_local_key

// DbTest::dropTables drops with CASCADE on PostgreSQL, where the suite's programs share one database.
using GuideTest = lucid_test::DbTest;

class BelongsToGuide : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users"});
        createTables(*db);
    }
    // user 1 (virk) and user 2 (romain); profile 1 of user 1, profile 2 of user 2, profile 3 of nobody
    void seed() {
        ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
        ASSERT_EQ(User::create({.email = "romain@example.com"}).id, 2);
        Profile::create({.userId = 1, .avatarUrl = "virk.jpg"});
        Profile::create({.userId = 2, .avatarUrl = "romain.jpg"});
        Profile::create({.avatarUrl = "nobody.jpg"});
    }
};

TEST_P(BelongsToGuide, DefaultKeys) {
    const auto& relation = Profile::meta().relation("user");
    EXPECT_STREQ(relation.kind(), "belongsTo");
    EXPECT_EQ(relation.ownerKey->property, "userId");  // the foreign key, on Profile
    EXPECT_EQ(relation.relatedKey->property, "id");    // the local key, User's primary key
}

TEST_P(BelongsToGuide, CheckSchema) {
    lucid::Database& db = *this->db;
    // [snippet:check-schema]
    std::vector<lucid::SchemaProblem> problems = lucid::checkSchema<User, Profile>(db);
    for (const lucid::SchemaProblem& problem : problems) std::cerr << problem.message << '\n';
    // [end-snippet]
    EXPECT_TRUE(problems.empty());

    // the messages the guide quotes
    db.schema().dropTable("profiles");
    db.schema().createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("user_id").nullable();
        t.boolean("is_active").defaultTo(false);
    });
    problems = lucid::checkSchema<User, Profile>(db);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].message, "table \"profiles\" has no column \"avatar_url\" for \"Profile.avatarUrl\"");
    EXPECT_EQ(problems[1].message, "profiles.user_id is text, but users.id is integer: \"Profile.user\" needs both of one type");
}

TEST_P(BelongsToGuide, Preload) {
    seed();
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<Profile> profiles = Profile::query().orderBy(&Profile::id).preload(&Profile::user).all();

    for (const Profile& profile : profiles) {
        if (profile.user) std::cout << profile.avatarUrl << " belongs to " << profile.user->email << '\n';
        else std::cout << profile.avatarUrl << " belongs to nobody\n";
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);  // the profiles, then the users of all of them
    ASSERT_EQ(profiles.size(), 3u);
    EXPECT_EQ(profiles[0].user->email, "virk@adonisjs.com");
    EXPECT_EQ(profiles[1].user->email, "romain@example.com");
    EXPECT_TRUE(profiles[2].user.isLoaded());
    EXPECT_EQ(profiles[2].user.get(), nullptr);
}

TEST_P(BelongsToGuide, PreloadWithConstraints) {
    seed();
    // [snippet:preload-constrained]
    std::vector<Profile> profiles = Profile::query()
        .orderBy(&Profile::id)
        .preload(&Profile::user, [](lucid::ModelQuery<User>& query) {
            query.where(&User::email, "like", "%@adonisjs.com");
        })
        .all();
    // profiles[1].user is loaded, but null: its user does not match the constraint
    // [end-snippet]
    ASSERT_EQ(profiles.size(), 3u);
    EXPECT_EQ(profiles[0].user->email, "virk@adonisjs.com");
    EXPECT_TRUE(profiles[1].user.isLoaded());
    EXPECT_EQ(profiles[1].user.get(), nullptr);
}

TEST_P(BelongsToGuide, LoadOnOneInstance) {
    seed();
    // [snippet:load]
    Profile profile = Profile::findOrFail(1);
    // profile.user is not loaded yet: there is no lazy loading on access
    profile.load(&Profile::user);
    std::cout << profile.user->email << '\n';
    // [end-snippet]
    EXPECT_EQ(profile.user->email, "virk@adonisjs.com");
}

TEST_P(BelongsToGuide, Associate) {
    ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
    lucid_test::QueryCounter counter(*db);
    // [snippet:associate]
    User user = User::findOrFail(1);

    Profile profile;
    profile.avatarUrl = "foo.jpg";
    profile.isActive = true;

    // Saves the profile with the id of the user
    profile.related(&Profile::user).associate(user);
    // [end-snippet]
    EXPECT_TRUE(profile.isPersisted());
    EXPECT_EQ(profile.userId, std::optional<int64_t>(1));
    ASSERT_TRUE(profile.user.isLoaded());
    EXPECT_EQ(profile.user->email, "virk@adonisjs.com");
    // one transaction: the user is clean, so the profile's INSERT is the only write
    ASSERT_EQ(counter.sqls.size(), 4u);  // select user, begin, insert profile, commit
    EXPECT_TRUE(counter.sqls[1].starts_with("begin")) << counter.sqls[1];  // "begin immediate" on SQLite
    EXPECT_EQ(counter.sqls[3], "commit");
    auto row = db->from("profiles").where("id", profile.id).first();
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->get<int64_t>("user_id"), 1);
    EXPECT_EQ(row->get<std::string>("avatar_url"), "foo.jpg");
    EXPECT_TRUE(row->get<bool>("is_active"));
}

TEST_P(BelongsToGuide, AssociateSavesANewUserFirst) {
    // [snippet:associate-new]
    User user;
    user.email = "romain@example.com";

    Profile profile;
    profile.avatarUrl = "bar.jpg";

    // Inserts the user, then the profile with the user's new id: one transaction
    profile.related(&Profile::user).associate(user);
    // [end-snippet]
    EXPECT_TRUE(user.isPersisted());
    EXPECT_GT(user.id, 0);
    EXPECT_EQ(profile.userId, std::optional<int64_t>(user.id));
    EXPECT_EQ(Profile::findOrFail(profile.id).userId, std::optional<int64_t>(user.id));
}

TEST_P(BelongsToGuide, Dissociate) {
    seed();
    // [snippet:dissociate]
    Profile profile = Profile::findOrFail(1);
    profile.related(&Profile::user).dissociate();
    // profile.userId is now null, in the database too, and profile.user is loaded as null
    // [end-snippet]
    EXPECT_FALSE(profile.userId.has_value());
    EXPECT_TRUE(profile.user.isLoaded());
    EXPECT_EQ(profile.user.get(), nullptr);
    auto row = db->from("profiles").where("id", 1).first();
    ASSERT_TRUE(row.has_value());
    EXPECT_TRUE((*row)["user_id"].isNull());
}

TEST_P(BelongsToGuide, QueryTheRelationship) {
    seed();
    // [snippet:related-query]
    Profile profile = Profile::findOrFail(2);
    std::optional<User> owner = profile.related(&Profile::user).query().first();
    // [end-snippet]
    ASSERT_TRUE(owner.has_value());
    EXPECT_EQ(owner->email, "romain@example.com");
    EXPECT_FALSE(profile.user.isLoaded());  // the query's result is not kept on the profile
    EXPECT_THROW(profile.related(&Profile::user).query().paginate(1), lucid::Error);

    // [snippet:where-has]
    std::vector<Profile> ofAdonisUsers = Profile::query()
        .whereHas(&Profile::user, [](lucid::ModelQuery<User>& query) {
            query.where(&User::email, "like", "%@adonisjs.com");
        })
        .all();
    std::vector<Profile> orphans = Profile::query().doesntHave(&Profile::user).all();
    // [end-snippet]
    ASSERT_EQ(ofAdonisUsers.size(), 1u);
    EXPECT_EQ(ofAdonisUsers[0].avatarUrl, "virk.jpg");
    ASSERT_EQ(orphans.size(), 1u);
    EXPECT_EQ(orphans[0].avatarUrl, "nobody.jpg");
}

LUCID_DB_TEST_SUITE(BelongsToGuide);

class BelongsToCustomForeignKey : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users"});
        db->schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable();
        });
        db->schema().createTable("profiles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("profile_user_id").nullable();
        });
    }
};

TEST_P(BelongsToCustomForeignKey, AssociateAndPreload) {
    EXPECT_TRUE((lucid::checkSchema<User, custom_foreign_key::Profile>(*db)).empty());
    User user = User::create({.email = "virk@adonisjs.com"});
    custom_foreign_key::Profile profile;
    profile.related(&custom_foreign_key::Profile::user).associate(user);
    EXPECT_EQ(profile.profileUserId, std::optional<int64_t>(user.id));
    auto profiles = custom_foreign_key::Profile::query().preload(&custom_foreign_key::Profile::user).all();
    ASSERT_EQ(profiles.size(), 1u);
    EXPECT_EQ(profiles[0].user->email, "virk@adonisjs.com");
    EXPECT_EQ(db->from("profiles").first()->get<int64_t>("profile_user_id"), user.id);
}

LUCID_DB_TEST_SUITE(BelongsToCustomForeignKey);

class BelongsToCustomLocalKey : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users"});
        db->schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("uuid").notNullable().unique();
        });
        db->schema().createTable("profiles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("profile_user_id").nullable();
        });
    }
};

TEST_P(BelongsToCustomLocalKey, AssociateAndPreload) {
    using custom_local_key::Profile;
    using custom_local_key::User;
    EXPECT_TRUE((lucid::checkSchema<User, Profile>(*db)).empty());
    User::create({.uuid = "3f2a-other"});
    User user = User::create({.uuid = "9b1c-virk"});
    Profile profile;
    profile.related(&Profile::user).associate(user);
    EXPECT_EQ(profile.profileUserId, std::optional<std::string>("9b1c-virk"));
    auto profiles = Profile::query().preload(&Profile::user).all();
    ASSERT_EQ(profiles.size(), 1u);
    EXPECT_EQ(profiles[0].user->id, user.id);
    EXPECT_EQ(profile.related(&Profile::user).query().firstOrFail().id, user.id);
}

LUCID_DB_TEST_SUITE(BelongsToCustomLocalKey);

}  // namespace belongs_to_guide
