// Users and skills (manyToMany with pivot columns), and countries -> users -> posts (hasManyThrough).
// Runs on an embedded SQLite database by default; pass any URL to use another.
#include <lucid/lucid.hpp>

#include <iostream>

struct Skill;
struct Post;

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    std::optional<int64_t> countryId;
    lucid::ManyToMany<Skill> skills;
    lucid::HasMany<Post> posts;

    static void define(lucid::ModelDefinition<User>& m);
};

struct Skill : lucid::BaseModel<Skill> {
    int64_t id = 0;
    std::string name;
    static void define(lucid::ModelDefinition<Skill>& m) {
        m.column(&Skill::id, "id", {.isPrimary = true});
        m.column(&Skill::name, "name");
    }
};

struct Post : lucid::BaseModel<Post> {
    int64_t id = 0;
    std::optional<int64_t> userId;
    std::string title;
    static void define(lucid::ModelDefinition<Post>& m) {
        m.column(&Post::id, "id", {.isPrimary = true});
        m.column(&Post::userId, "userId");
        m.column(&Post::title, "title");
    }
};

struct Country : lucid::BaseModel<Country> {
    int64_t id = 0;
    std::string name;
    lucid::HasManyThrough<Post, User> posts;
    static void define(lucid::ModelDefinition<Country>& m) {
        m.column(&Country::id, "id", {.isPrimary = true});
        m.column(&Country::name, "name");
        m.hasManyThrough(&Country::posts, "posts");  // Country -> User (countryId) -> Post (userId)
    }
};

void User::define(lucid::ModelDefinition<User>& m) {
    m.column(&User::id, "id", {.isPrimary = true});
    m.column(&User::email, "email");
    m.column(&User::countryId, "countryId");
    // pivot table "skill_user" (user_id, skill_id) by default; here with a pivot column and timestamps
    m.manyToMany(&User::skills, "skills", {.pivotColumns = {"proficiency"}, .pivotTimestamps = true});
    m.hasMany(&User::posts, "posts");
}

static std::string pivot(const Skill& s, const std::string& name) {
    for (const auto& [k, v] : s.extras())
        if (k == name && !v.isNull()) return v.as<std::string>();
    return "-";
}

int main(int argc, char** argv) {
    try {
        lucid::Database db{argc > 1 ? argv[1] : "sqlite::memory:"};
        lucid::useDatabase(db);
        auto schema = db.schema();
        for (const char* t : {"skill_user", "posts", "skills", "users", "countries"}) schema.dropTableIfExists(t);
        schema.createTable("countries", [](lucid::TableBuilder& t) { t.increments("id"); t.string("name"); });
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email");
            t.integer("country_id").nullable();
        });
        schema.createTable("skills", [](lucid::TableBuilder& t) { t.increments("id"); t.string("name"); });
        schema.createTable("skill_user", [](lucid::TableBuilder& t) {
            t.integer("user_id");
            t.integer("skill_id");
            t.string("proficiency").nullable();
            t.timestamps();
        });
        schema.createTable("posts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.integer("user_id").nullable();
            t.string("title");
        });

        Country fr = Country::create({.name = "France"});
        User ada = User::create({.email = "ada@example.com", .countryId = fr.id});
        User bob = User::create({.email = "bob@example.com", .countryId = fr.id});
        Skill cpp = Skill::create({.name = "C++"}), sql = Skill::create({.name = "SQL"}), go = Skill::create({.name = "Go"});

        // attach with pivot attributes, sync, detach: each one transaction
        ada.related(&User::skills).attach({{cpp.id, {{"proficiency", "expert"}}}, {sql.id, {{"proficiency", "novice"}}}});
        bob.related(&User::skills).attach({go.id});
        bob.related(&User::skills).sync({{go.id, {{"proficiency", "fluent"}}}, {sql.id, {}}});
        ada.related(&User::skills).create({.name = "Rust"}, {{"proficiency", "curious"}});

        // one query for the users, one for every skill of every user (joined with the pivot)
        for (const User& u : User::query().preload(&User::skills, [](lucid::ModelQuery<Skill>& q) { q.orderBy(&Skill::name); })
                                 .orderBy(&User::id).all()) {
            std::cout << u.email << ":";
            for (const Skill& s : u.skills) std::cout << " " << s.name << " (" << pivot(s, "pivot_proficiency") << ")";
            std::cout << "\n";
        }
        std::cout << "experts: " << ada.related(&User::skills).query().wherePivot("proficiency", "expert").count() << "\n";
        std::cout << "users who know SQL: "
                  << User::query().whereHas(&User::skills, [](auto& q) { q.where(&Skill::name, "SQL"); }).count() << "\n";

        ada.related(&User::posts).createMany({{.title = "Hello"}, {.title = "Pivot tables"}});
        bob.related(&User::posts).create({.title = "Go vs C++"});
        auto countries = Country::query().preload(&Country::posts).withCount(&Country::posts).all();
        std::cout << countries[0].name << " has " << countries[0].posts.size() << " posts through its users\n";
        return 0;
    } catch (const lucid::Error& e) {
        std::cerr << "error (" << e.code() << "): " << e.what() << "\n";
        return 1;
    }
}
