// A small application with its own command line: `app migration:run`, `app db:seed`, `app migration:status`
// and the rest of `app --help`, on the database DATABASE_URL names (default: sqlite:app.db).
#include "app/models/user.hpp"
#include "database/migrations/1700000000000_create_users_table.cpp"
#include "database/migrations/1700000000001_create_posts_table.cpp"
#include "database/seeders/user_seeder.cpp"

#include <lucid/lucid.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    lucid::Migrations migrations;
    migrations.add<CreateUsersTable>("database/migrations/1700000000000_create_users_table");
    migrations.add<CreatePostsTable>("database/migrations/1700000000001_create_posts_table");
    lucid::Seeders seeders;
    seeders.add<UserSeeder>("UserSeeder");
    try {
        const char* url = std::getenv("DATABASE_URL");
        lucid::Database db{url && *url ? url : "sqlite:app.db"};
        lucid::useDatabase(db);
        return lucid::runCommand(argc, argv, {.database = db, .migrations = migrations, .seeders = seeders});
    } catch (const std::exception& e) {  // the database could not be opened
        std::cerr << e.what() << '\n';
        return 1;
    }
}
