// The samples of docs/seeders.md: scripts/docs_snippets.py copies each snippet region of this file into
// the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace seeders_guide {

struct User : lucid::BaseModel<User> {
    int64_t id = 0;
    std::string email;
    bool isAdmin = false;

    static void define(lucid::ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::isAdmin, "isAdmin");
    }
};

// [snippet:user-seeder]
struct UserSeeder : lucid::Seeder {
    void run(lucid::QueryClient& client) override {
        User::createMany({{.email = "virk@adonisjs.com", .isAdmin = true}, {.email = "romain@adonisjs.com"}}, client);
    }
};
// [end-snippet]

// [snippet:query-builder-seeder]
struct CountrySeeder : lucid::Seeder {
    void run(lucid::QueryClient& client) override {
        for (const char* code : {"FR", "IN", "US"}) client.table("countries").insert({{"code", code}});
    }
};
// [end-snippet]

// [snippet:idempotent-seeder]
struct AdminSeeder : lucid::Seeder {
    void run(lucid::QueryClient& client) override {
        // safe to run on every deploy: the row is made once
        User::updateOrCreate({{"email", "admin@example.com"}}, {{"isAdmin", true}}, client);
    }
};
// [end-snippet]

// [snippet:seeders-list]
lucid::Seeders appSeeders() {
    lucid::Seeders seeders;
    seeders.add<AdminSeeder>("AdminSeeder");
    seeders.add<CountrySeeder>("CountrySeeder");
    seeders.add<UserSeeder>("UserSeeder");
    return seeders;
}
// [end-snippet]

class SeedersGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"users", "countries"});
        db->schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.boolean("is_admin").notNullable().defaultTo(false);
        });
        db->schema().createTable("countries", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("code", 2).notNullable().unique();
        });
    }
    int seed(std::vector<std::string> args, const lucid::Seeders& seeders, std::string* out = nullptr) {
        args.insert(args.begin(), "app");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        std::ostringstream o, e;
        int code = lucid::runCommand(static_cast<int>(argv.size()), argv.data(),
                                     {.database = *db, .seeders = seeders, .out = &o, .err = &e, .color = false});
        if (out) *out = o.str() + e.str();
        return code;
    }
};

}  // namespace seeders_guide

using namespace seeders_guide;

TEST_P(SeedersGuide, SeedEverything) {
    std::string out;
    ASSERT_EQ(seed({"db:seed"}, appSeeders(), &out), 0) << out;
    EXPECT_EQ(out, "❯ completed AdminSeeder\n❯ completed CountrySeeder\n❯ completed UserSeeder\n");
    EXPECT_EQ(User::query().count(), 3);
    EXPECT_EQ(db->from("countries").count(), 3);
    ASSERT_EQ(seed({"db:seed", "--files", "AdminSeeder"}, appSeeders()), 0);  // again: still one admin
    EXPECT_EQ(User::query().where(&User::isAdmin, true).count(), 2);
}

TEST_P(SeedersGuide, ChosenSeeders) {
    ASSERT_EQ(seed({"db:seed", "--files", "CountrySeeder,AdminSeeder"}, appSeeders()), 0);
    EXPECT_EQ(User::query().count(), 1);
    std::string out;
    EXPECT_EQ(seed({"db:seed", "--files", "CountrySeeder"}, appSeeders(), &out), 1);  // its rows are there already
    EXPECT_NE(out.find("❯ error     CountrySeeder"), std::string::npos) << out;
    EXPECT_EQ(db->from("countries").count(), 3) << "the failed run left nothing of its own";
}

TEST_P(SeedersGuide, InCode) {
    lucid::Database& db = *this->db;
    // [snippet:in-code]
    lucid::Seeders seeders = appSeeders();
    for (const std::string& name : seeders.names()) seeders.run(name, db);  // each in its own transaction
    // [end-snippet]
    EXPECT_EQ(User::query().count(), 3);
}

LUCID_DB_TEST_SUITE(SeedersGuide);
