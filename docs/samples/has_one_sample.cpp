// The samples of docs/relationships/has-one.md: scripts/docs_snippets.py copies each snippet
// region of this file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace has_one_guide {

// [snippet:models]
struct Profile;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    lucid::HasOne<Profile> profile;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.hasOne(&User::profile, "profile");
    }
};

struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;  // the foreign key
    std::string avatarUrl;
    bool isActive = false;

    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::userId, "userId");
        m.column(&Profile::avatarUrl, "avatarUrl");
        m.column(&Profile::isActive, "isActive");
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
        t.integer("user_id").unsigned_().nullable().unique();  // unique: at most one profile per user
        t.string("avatar_url").notNullable();
        t.boolean("is_active").defaultTo(false);
    });
}
// [end-snippet]

namespace custom_foreign_key {
struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> profileUserId;
    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::profileUserId, "profileUserId");
    }
};

// [snippet:custom-foreign-key]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    lucid::HasOne<Profile> profile;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.hasOne(&User::profile, "profile", {.foreignKey = "profileUserId"});  // Profile::profileUserId
    }
};
// [end-snippet]
}  // namespace custom_foreign_key

namespace custom_local_key {
struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<std::string> profileUserId;
    static void define(lucid::ModelDefinition<Profile>& m) {
        m.column(&Profile::id, "id", {.isPrimary = true});
        m.column(&Profile::profileUserId, "profileUserId");
    }
};

// [snippet:custom-local-key]
struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string uuid;
    lucid::HasOne<Profile> profile;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::uuid, "uuid");
        m.hasOne(&User::profile, "profile", {.localKey = "uuid", .foreignKey = "profileUserId"});
    }
};
// [end-snippet]
}  // namespace custom_local_key

// DbTest::dropTables drops with CASCADE on PostgreSQL, where the suite's programs share one database.
using GuideTest = lucid_test::DbTest;

class HasOneGuide : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users"});
        createTables(*db);
    }
    // user 1 (virk) with profile 1; user 2 (romain) without a profile
    void seed() {
        ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
        ASSERT_EQ(User::create({.email = "romain@example.com"}).id, 2);
        Profile::create({.userId = 1, .avatarUrl = "virk.jpg", .isActive = true});
    }
};

TEST_P(HasOneGuide, DefaultKeysAndSchema) {
    const auto& relation = User::meta().relation("profile");
    EXPECT_STREQ(relation.kind(), "hasOne");
    EXPECT_EQ(relation.ownerKey->property, "id");        // the local key, User's primary key
    EXPECT_EQ(relation.relatedKey->property, "userId");  // the foreign key, on Profile
    EXPECT_TRUE((lucid::checkSchema<User, Profile>(*db)).empty());
}

TEST_P(HasOneGuide, Save) {
    lucid_test::QueryCounter counter(*db);
    // [snippet:save]
    User user;
    user.email = "virk@adonisjs.com";

    Profile profile;
    profile.avatarUrl = "foo.jpg";
    profile.isActive = true;

    // Inserts the user, then the profile with userId = user.id, in one transaction
    user.related(&User::profile).save(profile);
    // [end-snippet]
    EXPECT_TRUE(user.isPersisted());
    EXPECT_TRUE(profile.isPersisted());
    EXPECT_EQ(profile.userId, std::optional<int64_t>(user.id));
    EXPECT_FALSE(user.profile.isLoaded());  // save() does not fill the holder
    ASSERT_EQ(counter.sqls.size(), 4u);     // begin, insert user, insert profile, commit
    EXPECT_TRUE(counter.sqls.front().starts_with("begin")) << counter.sqls.front();  // "begin immediate" on SQLite
    EXPECT_EQ(counter.sqls.back(), "commit");
    EXPECT_EQ(Profile::findOrFail(profile.id).userId, std::optional<int64_t>(user.id));
}

TEST_P(HasOneGuide, Create) {
    ASSERT_EQ(User::create({.email = "virk@adonisjs.com"}).id, 1);
    // [snippet:create]
    User user = User::findOrFail(1);
    Profile profile = user.related(&User::profile).create({.avatarUrl = "foo.jpg", .isActive = true});
    // [end-snippet]
    EXPECT_TRUE(profile.isPersisted());
    EXPECT_EQ(profile.userId, std::optional<int64_t>(1));
    EXPECT_EQ(Profile::query().count(), 1);
}

TEST_P(HasOneGuide, FirstOrCreate) {
    seed();
    // [snippet:first-or-create]
    User user = User::findOrFail(2);

    // The user's profile when there is one; else a new one from both payloads
    Profile profile = user.related(&User::profile).firstOrCreate({}, {{"avatarUrl", "foo.jpg"}, {"isActive", true}});
    // [end-snippet]
    EXPECT_TRUE(profile.isPersisted());
    EXPECT_EQ(profile.userId, std::optional<int64_t>(2));
    EXPECT_EQ(profile.avatarUrl, "foo.jpg");
    // a second call finds it
    Profile again = user.related(&User::profile).firstOrCreate({}, {{"avatarUrl", "other.jpg"}});
    EXPECT_EQ(again.id, profile.id);
    EXPECT_EQ(again.avatarUrl, "foo.jpg");
    EXPECT_EQ(Profile::query().count(), 2);  // virk's and romain's
}

TEST_P(HasOneGuide, UpdateOrCreate) {
    seed();
    // [snippet:update-or-create]
    User user = User::findOrFail(1);

    // Updates the user's profile when there is one; else creates it
    Profile profile = user.related(&User::profile).updateOrCreate({}, {{"avatarUrl", "bar.jpg"}});
    // [end-snippet]
    EXPECT_EQ(profile.id, 1);
    EXPECT_EQ(profile.avatarUrl, "bar.jpg");
    EXPECT_TRUE(profile.isActive);
    EXPECT_EQ(Profile::findOrFail(1).avatarUrl, "bar.jpg");
    EXPECT_EQ(Profile::query().count(), 1);
    User romain = User::findOrFail(2);
    Profile created = romain.related(&User::profile).updateOrCreate({}, {{"avatarUrl", "romain.jpg"}});
    EXPECT_EQ(created.userId, std::optional<int64_t>(2));
    EXPECT_EQ(Profile::query().count(), 2);
}

TEST_P(HasOneGuide, Preload) {
    seed();
    lucid_test::QueryCounter counter(*db);
    // [snippet:preload]
    std::vector<User> users = User::query().orderBy(&User::id).preload(&User::profile).all();

    for (const User& user : users) {
        if (user.profile) std::cout << user.email << ": " << user.profile->avatarUrl << '\n';
        else std::cout << user.email << " has no profile\n";
    }
    // [end-snippet]
    EXPECT_EQ(counter.count, 2);
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].profile->avatarUrl, "virk.jpg");
    EXPECT_TRUE(users[1].profile.isLoaded());
    EXPECT_EQ(users[1].profile.get(), nullptr);
    EXPECT_THROW(users[1].profile.value(), lucid::RelationNotLoaded);
}

TEST_P(HasOneGuide, QueryTheRelationship) {
    seed();
    // [snippet:related-query]
    User user = User::findOrFail(1);
    std::optional<Profile> active = user.related(&User::profile).query().where(&Profile::isActive, true).first();

    std::vector<User> withProfile = User::query().has(&User::profile).all();
    std::vector<User> withoutProfile = User::query().doesntHave(&User::profile).all();
    // [end-snippet]
    ASSERT_TRUE(active.has_value());
    EXPECT_EQ(active->avatarUrl, "virk.jpg");
    ASSERT_EQ(withProfile.size(), 1u);
    EXPECT_EQ(withProfile[0].id, 1);
    ASSERT_EQ(withoutProfile.size(), 1u);
    EXPECT_EQ(withoutProfile[0].id, 2);
    try {
        user.related(&User::profile).query().paginate(1);
        ADD_FAILURE() << "paginate on a hasOne query must throw";
    } catch (const lucid::Error& e) {
        EXPECT_STREQ(e.what(), "Cannot paginate a hasOne relationship \"(profile)\"");
    }
}

LUCID_DB_TEST_SUITE(HasOneGuide);

class HasOneCustomKeys : public GuideTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users"});
    }
};

TEST_P(HasOneCustomKeys, ForeignKey) {
    using custom_foreign_key::Profile;
    using custom_foreign_key::User;
    db->schema().createTable("users", [](lucid::TableBuilder& t) { t.increments("id"); });
    db->schema().createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("profile_user_id").nullable();
    });
    EXPECT_TRUE((lucid::checkSchema<User, Profile>(*db)).empty());
    User user;
    Profile profile = user.related(&User::profile).create({});
    EXPECT_EQ(profile.profileUserId, std::optional<int64_t>(user.id));
    auto users = User::query().preload(&User::profile).all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].profile->id, profile.id);
}

TEST_P(HasOneCustomKeys, LocalKey) {
    using custom_local_key::Profile;
    using custom_local_key::User;
    db->schema().createTable("users", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("uuid").notNullable();
    });
    db->schema().createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("profile_user_id").nullable();
    });
    EXPECT_TRUE((lucid::checkSchema<User, Profile>(*db)).empty());
    User user = User::create({.uuid = "9b1c-virk"});
    Profile profile = user.related(&User::profile).create({});
    EXPECT_EQ(profile.profileUserId, std::optional<std::string>("9b1c-virk"));
    auto users = User::query().preload(&User::profile).all();
    ASSERT_EQ(users.size(), 1u);
    EXPECT_EQ(users[0].profile->id, profile.id);
}

LUCID_DB_TEST_SUITE(HasOneCustomKeys);

}  // namespace has_one_guide
