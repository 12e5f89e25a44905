// The samples of docs/migrations.md: scripts/docs_snippets.py copies each snippet region of this file
// into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <iostream>
#include <string>
#include <vector>

namespace migrations_guide {

// [snippet:migration-class]
struct CreateUsersTable : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("email", 254).notNullable().unique();
            t.string("password").notNullable();
            t.timestamps();
        });
    }
    void down(lucid::Schema& schema) override { schema.dropTable("users"); }
};
// [end-snippet]

// [snippet:alter-migration]
struct AddUsernameToUsers : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.alterTable("users", [](lucid::TableBuilder& t) {
            t.string("username", 60).nullable().unique();
            t.string("email", 320).notNullable().alter();  // widen the column, keep its rows
        });
    }
    void down(lucid::Schema& schema) override {
        schema.alterTable("users", [](lucid::TableBuilder& t) {
            t.dropUnique({"username"});
            t.dropColumn("username");
        });
    }
};
// [end-snippet]

// [snippet:disable-transactions]
struct CreateSearchIndex : lucid::Migration {
    void up(lucid::Schema& schema) override {
        schema.raw("create unique index users_email_lower_unique on users (lower(email))");
    }
    void down(lucid::Schema& schema) override { schema.raw("drop index users_email_lower_unique"); }
    bool disableTransactions() const override { return true; }  // each statement commits on its own
};
// [end-snippet]

lucid::Migrations appMigrations() {
    // [snippet:migrations-list]
    lucid::Migrations migrations;
    migrations.add<CreateUsersTable>("database/migrations/1700000000000_create_users_table");
    migrations.add<AddUsernameToUsers>("database/migrations/1700000000001_add_username_to_users");
    migrations.add(
        "database/migrations/1700000000002_create_posts_table",
        [](lucid::Schema& schema) {
            schema.createTable("posts", [](lucid::TableBuilder& t) {
                t.increments("id");
                t.integer("user_id").unsigned_().notNullable();
                t.foreign("user_id").references("id").inTable("users").onDelete("cascade");
                t.string("title").notNullable();
            });
        },
        [](lucid::Schema& schema) { schema.dropTable("posts"); });
    // [end-snippet]
    return migrations;
}

class MigrationsGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"posts", "users", "adonis_schema", "adonis_schema_versions"});
    }
};

}  // namespace migrations_guide

using namespace migrations_guide;

TEST_P(MigrationsGuide, RunRollbackAndStatus) {
    lucid::Database& db = *this->db;
    lucid::Migrations migrations = appMigrations();
    // [snippet:run]
    lucid::Migrator migrator{db, migrations};
    lucid::MigrationResult result = migrator.run();
    for (const lucid::MigratedFile& file : result.files)
        std::cout << file.name << ": " << file.status << " (batch " << file.batch << ")\n";
    // [end-snippet]
    ASSERT_EQ(result.files.size(), 3u);
    EXPECT_EQ(result.files[2].status, "completed");
    EXPECT_TRUE(db.schema().hasColumn("users", "username"));

    // [snippet:status]
    for (const lucid::MigrationStatus& s : migrator.status())
        std::cout << s.name << "  " << s.status << "  batch " << (s.batch ? std::to_string(*s.batch) : "-") << "\n";
    // [end-snippet]
    EXPECT_EQ(migrator.status()[0].status, "migrated");

    // [snippet:rollback]
    migrator.rollback();                 // the latest batch, newest migration first
    migrator.rollback({.step = 1});      // the newest migration, whatever its batch
    migrator.rollback({.batch = 0});     // everything
    // [end-snippet]
    EXPECT_FALSE(db.schema().hasTable("users"));
    EXPECT_TRUE(db.from("adonis_schema").exec().empty());
}

TEST_P(MigrationsGuide, DryRun) {
    lucid::Database& db = *this->db;
    lucid::Migrations migrations = appMigrations();
    // [snippet:dry-run]
    lucid::Migrator preview{db, migrations, {.dryRun = true}};
    for (const lucid::MigratedFile& file : preview.run().files)
        for (const std::string& sql : file.queries) std::cout << sql << ";\n";
    // [end-snippet]
    EXPECT_FALSE(db.schema().hasTable("users"));
    // the users table does not exist yet: SQLite's rebuild for alter() is announced, not spelled out
    const auto& alter = preview.result().files[1].queries;
    ASSERT_FALSE(alter.empty());
    EXPECT_EQ(alter.back().rfind("-- sqlite rebuilds table \"users\"", 0) == 0, !isPostgres()) << alter.back();
}

TEST_P(MigrationsGuide, FailingMigration) {
    lucid::Database& db = *this->db;
    lucid::Migrations migrations = appMigrations();
    migrations.add("database/migrations/1700000000003_broken",
                   [](lucid::Schema& schema) { schema.raw("alter table no_such_table add column x integer"); });
    // [snippet:failure]
    lucid::Migrator migrator{db, migrations};
    try {
        migrator.run();
    } catch (const lucid::Error& e) {
        // the failing migration left neither its changes nor its row; the ones before it are kept
        for (const lucid::MigratedFile& file : migrator.result().files)
            std::cerr << file.name << ": " << file.status << "\n";  // completed, ..., error
        std::cerr << e.code() << ": " << e.what() << "\n";
    }
    // [end-snippet]
    EXPECT_EQ(migrator.result().files.back().status, "error");
    EXPECT_EQ(migrator.status().back().status, "pending");
}

TEST_P(MigrationsGuide, Lock) {
    lucid::Database& db = *this->db;
    lucid::Migrations migrations = appMigrations();
    // [snippet:lock]
    try {
        lucid::Migrator{db, migrations}.run();
    } catch (const lucid::MigrationError& e) {
        if (e.code() == "E_UNABLE_ACQUIRE_LOCK") std::cerr << "another deploy is migrating this database\n";
        else throw;
    }
    // [end-snippet]
    // [snippet:refresh-fresh]
    lucid::Migrator migrator{db, migrations};
    migrator.reset();    // roll back every batch
    migrator.refresh();  // reset, then run everything again
    migrator.fresh();    // drop every table of the connection, then run everything
    // [end-snippet]
    EXPECT_TRUE(db.schema().hasTable("posts"));
}

TEST_P(MigrationsGuide, DisableTransactions) {
    lucid::Database& db = *this->db;
    lucid::Migrations migrations = appMigrations();
    migrations.add<CreateSearchIndex>("database/migrations/1700000000003_search_index");
    lucid::Migrator{db, migrations}.run();
    EXPECT_THROW(db.rawQuery("insert into users (email, password) values ('a@x', 'p'), ('A@x', 'p')"), lucid::QueryError)
        << "the case-insensitive unique index";
    lucid::Migrator{db, migrations}.rollback({.step = 1});
}

LUCID_DB_TEST_SUITE(MigrationsGuide);
