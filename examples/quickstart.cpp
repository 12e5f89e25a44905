// lucid-cpp quickstart: tables, models, a belongsTo/hasOne pair, associate, preload, dissociate.
// Runs on an embedded SQLite database by default; pass any URL (postgres://...) to use another.
#include <lucid/lucid.hpp>

#include <iostream>

struct Profile;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    int32_t points = 0;
    std::optional<lucid::DateTime> createdAt;  // null for rows inserted without it
    lucid::HasOne<Profile> profile;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::points, "points");
        m.column(&User::createdAt, "createdAt", {.autoCreate = true});
        m.hasOne(&User::profile, "profile");
    }
};

struct Profile : lucid::BaseModel<Profile> {
    int64_t id = 0;
    std::optional<int64_t> userId;  // the foreign key: nullable
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

int main(int argc, char** argv) {
    try {
        lucid::Database db{argc > 1 ? argv[1] : "sqlite::memory:"};
        lucid::useDatabase(db);

        // 1. Tables (no database-level foreign key is needed: Lucid needs only the columns)
        auto schema = db.schema();
        schema.dropTableIfExists("profiles");
        schema.dropTableIfExists("users");
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email", 255).notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.timestamp("created_at").nullable();
        });
        schema.createTable("profiles", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("avatar_url");
            t.boolean("is_active").defaultTo(false);
        });

        // 2. The query builder, without models
        db.table("users").insert({{"email", "raw@example.com"}, {"points", 1}});
        std::cout << "users with points: " << db.from("users").where("points", ">", 0).count() << "\n";

        // 3. Models
        User ada = User::create({.email = "ada@example.com", .points = 10});
        User bob = User::create({.email = "bob@example.com"});
        std::cout << "created " << ada.email << " (id " << ada.id << ") at " << lucid::formatDateTime(*ada.createdAt) << "\n";

        // 4. belongsTo: associate saves the profile with the user's id, in one transaction
        Profile profile;
        profile.avatarUrl = "ada.jpg";
        profile.isActive = true;
        profile.related(&Profile::user).associate(ada);
        std::cout << "profile " << profile.id << " belongs to user " << *profile.userId << "\n";

        Profile other;
        other.avatarUrl = "bob.jpg";
        other.related(&Profile::user).associate(bob);

        // 5. preload: one query for the profiles, one for all their users
        int queries = 0;
        auto counter = db.onQuery([&](const lucid::QueryEvent&) { ++queries; });
        auto profiles = Profile::query().orderBy(&Profile::id).preload(&Profile::user).all();
        for (const Profile& p : profiles) std::cout << p.avatarUrl << " -> " << p.user->email << "\n";
        std::cout << "preloaded " << profiles.size() << " profiles in " << queries << " queries\n";
        counter.unsubscribe();

        // 6. the other side: hasOne, and serialization of what is loaded
        auto users = User::query().preload(&User::profile).orderBy(&User::id).all();
        std::cout << users[1].serialize().dump() << "\n";

        // 7. dissociate: the foreign key becomes null
        profiles[1].related(&Profile::user).dissociate();
        std::cout << "profiles without a user: " << Profile::query().whereNull(&Profile::userId).count() << "\n";

        // 8. a managed transaction: everything or nothing
        try {
            db.transaction([](lucid::Transaction& trx) {
                User::create({.email = "carol@example.com"}, trx);
                User::create({.email = "carol@example.com"}, trx);  // unique violation
            });
        } catch (const lucid::QueryError& e) {
            std::cout << "rolled back: " << e.driverMessage() << "\n";
        }
        std::cout << "users: " << User::query().count() << "\n";
        return 0;
    } catch (const lucid::Error& e) {
        std::cerr << "error (" << e.code() << "): " << e.what() << "\n";
        return 1;
    }
}
