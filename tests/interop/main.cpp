// lucid_interop_app: a C++ service that shares its database, and its schema history, with a Node service
// using AdonisJS Lucid (scripts/lucid-interop/run.sh runs the two against one PostgreSQL database).
// Its command line is lucid::runCommand's, on the database DATABASE_URL names.
#include <lucid/lucid.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

// The Node service's migration (scripts/lucid-interop/database/migrations/1700000000000_create_lucid_accounts.js)
// as this service ships it: the same name and table, so that either service can bring a new database up to date
// and neither sees the other's rows as a migration it no longer ships (status `corrupt`).
struct CreateLucidAccounts : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.createTable("lucid_accounts", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
        });
    }
    void down(lucid::Schema& schema) override { schema.dropTable("lucid_accounts"); }
};

// This service's own migration (the Node service ships it as shared/1700000000001_create_cpp_events.js).
struct CreateCppEvents : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.createTable("cpp_events", [](lucid::TableBuilder& t) {
            t.bigIncrements("id");
            t.string("kind").notNullable();
            t.timestamp("created_at");
        });
    }
    void down(lucid::Schema& schema) override { schema.dropTable("cpp_events"); }
};

}  // namespace

int main(int argc, char** argv) {
    // Names as Lucid records them: the file's path from the application root, without its extension.
    lucid::Migrations migrations;
    // LUCID_INTEROP_OWN_ONLY=1: ship only this service's migration (then the Node one's row is `corrupt`, as in Lucid)
    const char* ownOnly = std::getenv("LUCID_INTEROP_OWN_ONLY");
    if (!ownOnly || std::string{ownOnly} != "1")
        migrations.add<CreateLucidAccounts>("database/migrations/1700000000000_create_lucid_accounts");
    migrations.add<CreateCppEvents>("database/migrations/1700000000001_create_cpp_events");
    try {
        const char* url = std::getenv("DATABASE_URL");
        if (!url || !*url) {
            std::cerr << "lucid_interop_app: set DATABASE_URL (postgres://...)\n";
            return 2;
        }
        lucid::Database db{url};
        return lucid::runCommand(argc, argv, {.database = db, .migrations = migrations, .color = false});
    } catch (const std::exception& e) {  // the database could not be opened
        std::cerr << e.what() << '\n';
        return 1;
    }
}
