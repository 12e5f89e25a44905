// The migrator: Lucid's semantics and bookkeeping (adonis_schema, adonis_schema_versions) on both databases.
#include "support/db_test.hpp"

#include <atomic>
#include <thread>

using namespace lucid;
using lucid_test::DbTest;

namespace {

Migrations::Step createTable(std::string table) {
    return [table](Schema& s) { s.createTable(table, [](TableBuilder& t) { t.increments("id"); t.string("label").nullable(); }); };
}
Migrations::Step dropTable(std::string table) {
    return [table](Schema& s) { s.dropTable(table); };
}

struct CreateUsers : Migration {
    void up(Schema& schema) override {
        schema.createTable("mig_users", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable();
        });
        schema.raw("insert into mig_users (email) values ('first@example.com')");
    }
    void down(Schema& schema) override { schema.dropTable("mig_users"); }
};

}  // namespace

class MigrationsTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"adonis_schema", "adonis_schema_versions", "schema_log", "schema_log_versions", "mig_users", "mig_posts",
                    "mig_tags", "mig_other", "mig_broken", "mig_kids", "mig_parents"});
        migrations.add<CreateUsers>("database/migrations/1_create_users");
        migrations.add("database/migrations/2_create_posts", createTable("mig_posts"), dropTable("mig_posts"));
    }
    std::vector<std::pair<std::string, int64_t>> recorded(const std::string& table = "adonis_schema") {
        std::vector<std::pair<std::string, int64_t>> out;
        for (const Row& r : db->rawQuery("select name, batch from " + table + " order by id"))
            out.emplace_back(r.get<std::string>("name"), r.get<int64_t>("batch"));
        return out;
    }
    static std::vector<std::string> names(const MigrationResult& r) {
        std::vector<std::string> out;
        for (const auto& f : r.files) out.push_back(f.name);
        return out;
    }
    Migrations migrations;
    const std::string users = "database/migrations/1_create_users", posts = "database/migrations/2_create_posts",
                      tags = "database/migrations/3_create_tags";
};

TEST_P(MigrationsTest, RunMigratesPendingInNameOrderAsOneBatch) {
    Migrator migrator{*db, migrations};
    MigrationResult r = migrator.run();
    ASSERT_EQ(names(r), (std::vector<std::string>{users, posts}));
    for (const auto& f : r.files) {
        EXPECT_EQ(f.status, "completed");
        EXPECT_EQ(f.batch, 1);
        EXPECT_TRUE(f.queries.empty());
    }
    EXPECT_TRUE(db->schema().hasTable("mig_posts"));
    EXPECT_EQ(db->rawQuery("select email from mig_users")[0].get<std::string>("email"), "first@example.com");
    EXPECT_EQ(recorded(), (std::vector<std::pair<std::string, int64_t>>{{users, 1}, {posts, 1}}));
    EXPECT_TRUE(migrator.run().files.empty());  // nothing twice

    migrations.add(tags, createTable("mig_tags"), dropTable("mig_tags"));
    MigrationResult second = migrator.run();
    ASSERT_EQ(names(second), std::vector<std::string>{tags});
    EXPECT_EQ(second.files[0].batch, 2);
}

TEST_P(MigrationsTest, BookkeepingTablesHaveLucidsColumns) {
    Migrator{*db, migrations}.run();
    if (isPostgres()) {
        auto cols = db->rawQuery(
            "select column_name, data_type, is_nullable, column_default, character_maximum_length from information_schema.columns "
            "where table_schema = current_schema() and table_name = 'adonis_schema' order by ordinal_position");
        ASSERT_EQ(cols.size(), 4u);
        EXPECT_EQ(cols[0].get<std::string>("column_name"), "id");
        EXPECT_EQ(cols[0].get<std::string>("data_type"), "integer");
        EXPECT_EQ(cols[0].get<std::string>("column_default"), "nextval('adonis_schema_id_seq'::regclass)");
        EXPECT_EQ(cols[1].get<std::string>("column_name"), "name");
        EXPECT_EQ(cols[1].get<std::string>("data_type"), "character varying");
        EXPECT_EQ(cols[1].get<int64_t>("character_maximum_length"), 255);
        EXPECT_EQ(cols[1].get<std::string>("is_nullable"), "NO");
        EXPECT_EQ(cols[2].get<std::string>("column_name"), "batch");
        EXPECT_EQ(cols[2].get<std::string>("data_type"), "integer");
        EXPECT_EQ(cols[2].get<std::string>("is_nullable"), "NO");
        EXPECT_EQ(cols[3].get<std::string>("column_name"), "migration_time");
        EXPECT_EQ(cols[3].get<std::string>("data_type"), "timestamp with time zone");
        EXPECT_EQ(cols[3].get<std::string>("is_nullable"), "YES");
        EXPECT_EQ(cols[3].get<std::string>("column_default"), "CURRENT_TIMESTAMP");
        auto pk = db->rawQuery("select constraint_name from information_schema.table_constraints where table_schema = current_schema() "
                               "and table_name = ? and constraint_type = 'PRIMARY KEY'", {"adonis_schema_versions"});
        ASSERT_EQ(pk.size(), 1u);
        EXPECT_EQ(pk[0].get<std::string>("constraint_name"), "adonis_schema_versions_pkey");
        auto v = db->rawQuery("select data_type from information_schema.columns where table_schema = current_schema() "
                              "and table_name = 'adonis_schema_versions'");
        ASSERT_EQ(v.size(), 1u);
        EXPECT_EQ(v[0].get<std::string>("data_type"), "integer");
    } else {
        auto cols = db->rawQuery("select name, type, \"notnull\" as nn, dflt_value, pk from pragma_table_info('adonis_schema') order by cid");
        ASSERT_EQ(cols.size(), 4u);
        EXPECT_EQ(cols[0].get<std::string>("name"), "id");
        EXPECT_EQ(cols[0].get<std::string>("type"), "INTEGER");
        EXPECT_EQ(cols[0].get<int64_t>("pk"), 1);
        EXPECT_EQ(cols[1].get<std::string>("type"), "varchar(255)");
        EXPECT_EQ(cols[1].get<int64_t>("nn"), 1);
        EXPECT_EQ(cols[2].get<std::string>("type"), "INTEGER");
        EXPECT_EQ(cols[2].get<int64_t>("nn"), 1);
        EXPECT_EQ(cols[3].get<std::string>("name"), "migration_time");
        EXPECT_EQ(cols[3].get<std::string>("type"), "datetime");
        EXPECT_EQ(cols[3].get<std::string>("dflt_value"), "CURRENT_TIMESTAMP");
        auto v = db->rawQuery("select name, type, pk from pragma_table_info('adonis_schema_versions')");
        ASSERT_EQ(v.size(), 1u);
        EXPECT_EQ(v[0].get<std::string>("name"), "version");
        EXPECT_EQ(v[0].get<int64_t>("pk"), 1);
    }
    auto versions = db->rawQuery("select version from adonis_schema_versions");
    ASSERT_EQ(versions.size(), 1u);
    EXPECT_EQ(versions[0].get<int64_t>("version"), 2);
    // the database's clock filled migration_time
    EXPECT_TRUE(db->rawQuery("select migration_time from adonis_schema where migration_time is null").empty());
}

TEST_P(MigrationsTest, CustomTableName) {
    Migrator{*db, migrations, {.tableName = "schema_log"}}.run();
    EXPECT_EQ(recorded("schema_log").size(), 2u);
    EXPECT_EQ(db->rawQuery("select version from schema_log_versions")[0].get<int64_t>("version"), 2);
    EXPECT_FALSE(db->schema().hasTable("adonis_schema"));
}

TEST_P(MigrationsTest, RollbackTakesTheLatestBatchNewestFirst) {
    Migrator migrator{*db, migrations};
    migrator.run();
    migrations.add(tags, createTable("mig_tags"), dropTable("mig_tags"));
    migrator.run();
    MigrationResult r = migrator.rollback();
    ASSERT_EQ(names(r), std::vector<std::string>{tags});
    EXPECT_EQ(r.files[0].status, "completed");
    EXPECT_EQ(r.files[0].batch, 2);
    EXPECT_FALSE(db->schema().hasTable("mig_tags"));
    EXPECT_TRUE(db->schema().hasTable("mig_posts"));
    r = migrator.rollback();
    EXPECT_EQ(names(r), (std::vector<std::string>{posts, users}));
    EXPECT_TRUE(recorded().empty());
    EXPECT_TRUE(migrator.rollback().files.empty());  // again: a no-op
}

TEST_P(MigrationsTest, RollbackToABatchAndByStep) {
    Migrator migrator{*db, migrations};
    migrator.run();
    migrations.add(tags, createTable("mig_tags"), dropTable("mig_tags"));
    migrator.run();
    // step: the newest migrations whatever their batch
    MigrationResult r = migrator.rollback({.step = 2});
    EXPECT_EQ(names(r), (std::vector<std::string>{tags, posts}));
    EXPECT_EQ(recorded(), (std::vector<std::pair<std::string, int64_t>>{{users, 1}}));
    migrator.run();  // posts and tags again, as batch 2
    EXPECT_EQ(recorded().back().second, 2);
    r = migrator.rollback({.batch = 1});
    EXPECT_EQ(names(r), (std::vector<std::string>{tags, posts}));
    migrator.run();
    r = migrator.rollback({.batch = 0});
    EXPECT_EQ(names(r), (std::vector<std::string>{tags, posts, users}));
    EXPECT_FALSE(db->schema().hasTable("mig_users"));
    EXPECT_THROW(migrator.rollback({.step = -1}), Error);
    EXPECT_THROW(migrator.rollback({.batch = -1}), Error);
}

TEST_P(MigrationsTest, StatusListsPendingMigratedAndCorrupt) {
    Migrator{*db, migrations}.run();
    Migrations shipped;  // users is no longer shipped; tags is new
    shipped.add(posts, createTable("mig_posts"), dropTable("mig_posts"));
    shipped.add(tags, createTable("mig_tags"), dropTable("mig_tags"));
    auto list = Migrator{*db, shipped}.status();
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0].name, posts);
    EXPECT_EQ(list[0].status, "migrated");
    EXPECT_EQ(list[0].batch, 1);
    EXPECT_TRUE(list[0].migratedAt.has_value());
    EXPECT_EQ(list[1].name, tags);
    EXPECT_EQ(list[1].status, "pending");
    EXPECT_FALSE(list[1].batch.has_value());
    EXPECT_EQ(list[2].name, users);
    EXPECT_EQ(list[2].status, "corrupt");
    EXPECT_EQ(list[2].batch, 1);
}

TEST_P(MigrationsTest, RollbackRefusesWhenARecordedMigrationIsMissing) {
    Migrator{*db, migrations}.run();
    Migrations shipped;
    shipped.add(posts, createTable("mig_posts"), dropTable("mig_posts"));
    Migrator migrator{*db, shipped};
    try {
        migrator.rollback({.batch = 0});
        FAIL() << "rolled back";
    } catch (const MigrationError& e) {
        EXPECT_EQ(e.code(), "E_MISSING_SCHEMA_FILES");
        EXPECT_STREQ(e.what(), "Cannot perform rollback. Schema file \"database/migrations/1_create_users\" is missing");
    }
    EXPECT_EQ(recorded().size(), 2u);  // nothing rolled back
    EXPECT_TRUE(db->schema().hasTable("mig_posts"));
}

TEST_P(MigrationsTest, AFailingMigrationLeavesNeitherItsTablesNorItsRow) {
    migrations.add("database/migrations/3_broken", [](Schema& s) {
        s.createTable("mig_broken", [](TableBuilder& t) { t.increments("id"); });
        s.raw("insert into no_such_table values (1)");
    });
    migrations.add("database/migrations/4_other", createTable("mig_other"), dropTable("mig_other"));
    Migrator migrator{*db, migrations};
    EXPECT_THROW(migrator.run(), QueryError);
    const MigrationResult& r = migrator.result();
    ASSERT_EQ(r.files.size(), 4u);
    EXPECT_EQ(r.files[0].status, "completed");
    EXPECT_EQ(r.files[1].status, "completed");
    EXPECT_EQ(r.files[2].status, "error");
    EXPECT_EQ(r.files[3].status, "pending");  // the run stopped
    EXPECT_NE(r.error.find("no_such_table"), std::string::npos) << r.error;
    EXPECT_FALSE(db->schema().hasTable("mig_broken"));
    EXPECT_FALSE(db->schema().hasTable("mig_other"));
    EXPECT_EQ(recorded().size(), 2u);
    EXPECT_TRUE(db->schema().hasTable("mig_users"));  // the ones before it stay
}

TEST_P(MigrationsTest, DryRunReturnsTheSqlAndRunsNothing) {
    Migrator dry{*db, migrations, {.dryRun = true}};
    MigrationResult r = dry.run();
    ASSERT_EQ(r.files.size(), 2u);
    EXPECT_EQ(r.files[0].status, "completed");
    ASSERT_EQ(r.files[0].queries.size(), 2u);
    EXPECT_EQ(r.files[0].queries[0], db->schema().createTableSQL("mig_users", [](TableBuilder& t) {
        t.increments("id");
        t.string("email").notNullable();
    })[0]);
    EXPECT_EQ(r.files[0].queries[1], "insert into mig_users (email) values ('first@example.com')");
    EXPECT_FALSE(db->schema().hasTable("mig_users"));
    EXPECT_TRUE(recorded().empty());

    Migrator{*db, migrations}.run();
    r = dry.rollback();
    EXPECT_EQ(r.files[0].queries, std::vector<std::string>{"drop table \"mig_posts\""});
    EXPECT_TRUE(db->schema().hasTable("mig_posts"));
    EXPECT_EQ(recorded().size(), 2u);
}

TEST_P(MigrationsTest, ResetRefreshAndFresh) {
    Migrator migrator{*db, migrations};
    migrator.run();
    db->rawQuery("insert into mig_posts (label) values ('kept until refresh')");
    MigrationResult r = migrator.refresh();
    EXPECT_EQ(r.files.size(), 2u);
    EXPECT_EQ(db->rawQuery("select count(*) as n from mig_posts")[0].get<int64_t>("n"), 0);
    EXPECT_EQ(recorded(), (std::vector<std::pair<std::string, int64_t>>{{users, 1}, {posts, 1}}));

    // fresh drops every table, also those no migration knows
    db->schema().createTable("mig_other", [](TableBuilder& t) { t.increments("id"); });
    db->schema().createTable("mig_tags", [](TableBuilder& t) {
        t.increments("id");
        t.integer("post_id").references("id").inTable("mig_posts");
    });
    db->rawQuery("insert into mig_posts (label) values ('p')");
    db->rawQuery("insert into mig_tags (post_id) values (1)");
    r = migrator.fresh();
    EXPECT_EQ(r.files.size(), 2u);
    EXPECT_FALSE(db->schema().hasTable("mig_other"));
    EXPECT_FALSE(db->schema().hasTable("mig_tags"));
    EXPECT_TRUE(db->schema().hasTable("mig_posts"));
    EXPECT_EQ(recorded().size(), 2u);

    migrator.reset();
    EXPECT_TRUE(recorded().empty());
    EXPECT_FALSE(db->schema().hasTable("mig_users"));
}

struct OutsideTransaction : Migration {
    void up(Schema& schema) override { schema.createTable("mig_other", [](TableBuilder& t) { t.increments("id"); }); }
    void down(Schema& schema) override { schema.dropTable("mig_other"); }
    bool disableTransactions() const override { return true; }
};

TEST_P(MigrationsTest, MigrationWithoutTransaction) {
    migrations.add<OutsideTransaction>("database/migrations/3_other");
    Migrator migrator{*db, migrations};
    migrator.run();
    EXPECT_TRUE(db->schema().hasTable("mig_other"));
    EXPECT_EQ(recorded().size(), 3u);
    migrator.rollback();
    EXPECT_FALSE(db->schema().hasTable("mig_other"));
}

// A table that others reference with ON DELETE CASCADE, rebuilt by a migration (SQLite cannot drop a
// column in place): SQLite runs it with foreign keys off, so the rebuild's DROP TABLE deletes no child row.
TEST_P(MigrationsTest, RebuildingAReferencedTableKeepsTheRowsThatReferenceIt) {
    auto s = db->schema();
    s.createTable("mig_parents", [](TableBuilder& t) {
        t.increments("id");
        t.string("name");
        t.integer("age").nullable();
    });
    s.createTable("mig_kids", [](TableBuilder& t) {
        t.increments("id");
        t.integer("parent_id").references("id").inTable("mig_parents").onDelete("cascade");
    });
    db->rawQuery("insert into mig_parents (name, age) values ('ann', 30), ('bob', 40)");
    db->rawQuery("insert into mig_kids (parent_id) values (1), (1), (2)");
    Migrations rebuild;
    rebuild.add("database/migrations/1_drop_age",
                [](Schema& s) { s.alterTable("mig_parents", [](TableBuilder& t) { t.dropColumn("age"); }); },
                [](Schema& s) { s.alterTable("mig_parents", [](TableBuilder& t) { t.integer("age").nullable(); }); });
    Migrator migrator{*db, rebuild};
    EXPECT_EQ(migrator.run().files.at(0).status, "completed");
    EXPECT_FALSE(db->schema().hasColumn("mig_parents", "age"));
    auto count = [&](const char* sql) { return db->rawQuery(sql)[0].get<int64_t>("n"); };
    EXPECT_EQ(count("select count(*) as n from mig_kids"), 3);
    EXPECT_EQ(count("select count(*) as n from mig_parents"), 2);
    if (!isPostgres()) {
        EXPECT_EQ(count("select foreign_keys as n from pragma_foreign_keys"), 1);  // back on
    }
    db->rawQuery("delete from mig_parents where id = 1");  // the foreign key still cascades
    EXPECT_EQ(count("select count(*) as n from mig_kids"), 1);
    EXPECT_THROW(db->rawQuery("insert into mig_kids (parent_id) values (99)"), QueryError);  // and still checks
    EXPECT_EQ(recorded().size(), 1u);
}

// With foreign keys off, a row the migration leaves without its parent fails the migration at the check
// before the commit (PostgreSQL refuses the row at once): nothing of it stays.
TEST_P(MigrationsTest, ARebuildingMigrationThatBreaksAForeignKeyLeavesNothing) {
    auto s = db->schema();
    s.createTable("mig_parents", [](TableBuilder& t) {
        t.increments("id");
        t.integer("age").nullable();
    });
    s.createTable("mig_kids", [](TableBuilder& t) {
        t.increments("id");
        t.integer("parent_id").references("id").inTable("mig_parents").onDelete("cascade");
    });
    db->rawQuery("insert into mig_parents (age) values (1)");
    db->rawQuery("insert into mig_kids (parent_id) values (1)");
    Migrations broken;
    broken.add("database/migrations/1_orphan",
               [](Schema& s) {
                   s.alterTable("mig_parents", [](TableBuilder& t) { t.dropColumn("age"); });
                   s.raw("insert into mig_kids (parent_id) values (42)");
               },
               [](Schema&) {});
    Migrator migrator{*db, broken};
    EXPECT_THROW(migrator.run(), Error);
    EXPECT_TRUE(db->schema().hasColumn("mig_parents", "age"));
    EXPECT_EQ(db->rawQuery("select count(*) as n from mig_kids")[0].get<int64_t>("n"), 1);
    EXPECT_EQ(recorded().size(), 0u);
    if (!isPostgres()) {
        EXPECT_EQ(db->rawQuery("select foreign_keys as n from pragma_foreign_keys")[0].get<int64_t>("n"), 1);
        try {
            Migrator{*db, broken}.run();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "E_FOREIGN_KEY_VIOLATION");
            EXPECT_NE(std::string(e.what()).find("mig_kids"), std::string::npos) << e.what();
        }
    }
}

// The message a list's check throws, as "CODE: message"
template <class F> std::string errorOf(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code() + ": " + e.what();
    }
    return "no error";
}

TEST_P(MigrationsTest, NamesAreCheckedWhenAdded) {
    EXPECT_EQ(errorOf([&] { migrations.add<CreateUsers>(users); }),
              "E_INVALID_MIGRATION: Migration \"" + users + "\" is added twice");
    EXPECT_EQ(errorOf([&] { migrations.add<CreateUsers>(""); }), "E_INVALID_MIGRATION: A migration needs a name");
    EXPECT_EQ(errorOf([&] { (void)migrations.create("nope"); }), "E_INVALID_MIGRATION: No migration named \"nope\"");
    EXPECT_EQ(migrations.size(), 2u);
    // seeders keep the same rules with their own code
    struct Nothing : Seeder {
        void run(QueryClient&) override {}
    };
    Seeders seeders;
    seeders.add<Nothing>("Nothing");
    EXPECT_EQ(errorOf([&] { seeders.add<Nothing>("Nothing"); }), "E_INVALID_SEEDER: Seeder \"Nothing\" is added twice");
    EXPECT_EQ(errorOf([&] { seeders.add<Nothing>(""); }), "E_INVALID_SEEDER: A seeder needs a name");
    EXPECT_EQ(seeders.names(), std::vector<std::string>{"Nothing"});
}

// Another process holding Lucid's lock: the runner fails at once and touches nothing.
TEST_P(MigrationsTest, HeldLockFailsAtOnce) {
    if (!isPostgres()) GTEST_SKIP() << "SQLite has no advisory lock";
    Database other(GetParam());
    Transaction holder = other.transaction();
    ASSERT_TRUE(holder.rawQuery("select pg_try_advisory_lock(1) as locked")[0].get<bool>("locked"));
    try {
        Migrator{*db, migrations}.run();
        ADD_FAILURE() << "ran while the lock was held";
    } catch (const MigrationError& e) {
        EXPECT_EQ(e.code(), "E_UNABLE_ACQUIRE_LOCK");
        EXPECT_STREQ(e.what(), "Unable to acquire lock. Concurrent migrations are not allowed");
    }
    EXPECT_FALSE(db->schema().hasTable("mig_users"));
    Migrator{*db, migrations, {.disableLocks = true}}.status();  // reads need no lock
    holder.rawQuery("select pg_advisory_unlock(1)");
    holder.commit();
    EXPECT_EQ((Migrator{*db, migrations}.run().files.size()), 2u);
}

// Two runners racing with two Databases: never both migrate.
TEST_P(MigrationsTest, RacingRunnersNeverBothMigrate) {
    if (!isPostgres()) GTEST_SKIP() << "SQLite has no advisory lock";
    std::atomic<int> ups{0};
    Migrations slow;
    slow.add("database/migrations/1_slow", [&](Schema& s) {
        ++ups;
        s.raw("select pg_sleep(0.3)");  // widens the window in which the other runner arrives
        s.createTable("mig_other", [](TableBuilder& t) { t.increments("id"); });
    });
    std::atomic<int> migrated{0}, locked{0}, nothing{0};
    auto runner = [&] {
        Database own(GetParam());
        try {
            if (Migrator{own, slow}.run().files.empty()) ++nothing;
            else ++migrated;
        } catch (const MigrationError& e) {
            if (e.code() == "E_UNABLE_ACQUIRE_LOCK") ++locked;
        }
    };
    std::thread a(runner), b(runner);
    a.join();
    b.join();
    EXPECT_EQ(migrated.load(), 1);
    EXPECT_EQ(locked.load() + nothing.load(), 1);
    EXPECT_EQ(ups.load(), 1);
    EXPECT_EQ(recorded().size(), 1u);
}

LUCID_DB_TEST_SUITE(MigrationsTest);
