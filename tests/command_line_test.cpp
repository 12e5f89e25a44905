// The application's command line (lucid::runCommand), driven in-process with argv arrays, on both databases:
// exit statuses, output, and the database afterwards.
#include "support/db_test.hpp"

#include <stdlib.h>  // mkdtemp

#include <fstream>
#include <regex>
#include <sstream>

using namespace lucid;
using lucid_test::DbTest;

namespace {

struct Outcome {
    int code;
    std::string out, err;
};

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct LabelsSeeder : Seeder {
    void run(QueryClient& client) override { client.table("cli_labels").insert({{"label", "from LabelsSeeder"}}); }
};
struct MoreLabelsSeeder : Seeder {
    void run(QueryClient& client) override { client.table("cli_labels").insert({{"label", "from MoreLabelsSeeder"}}); }
};
// Inserts a row, then fails: its row must not stay.
struct FailingSeeder : Seeder {
    void run(QueryClient& client) override {
        client.table("cli_labels").insert({{"label", "from FailingSeeder"}});
        client.rawQuery("insert into cli_missing_table (x) values (1)");
    }
};

}  // namespace

class CommandLineTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"adonis_schema", "adonis_schema_versions", "cli_labels", "cli_notes", "cli_broken", "gadgets"});
        migrations.add("database/migrations/1_create_labels",
                       [](Schema& s) { s.createTable("cli_labels", [](TableBuilder& t) { t.increments("id"); t.string("label").notNullable(); }); },
                       [](Schema& s) { s.dropTable("cli_labels"); });
        migrations.add("database/migrations/2_create_notes",
                       [](Schema& s) { s.createTable("cli_notes", [](TableBuilder& t) { t.increments("id"); t.text("body"); }); },
                       [](Schema& s) { s.dropTable("cli_notes"); });
        seeders.add<LabelsSeeder>("LabelsSeeder");
        seeders.add<MoreLabelsSeeder>("MoreLabelsSeeder");
        std::string pattern = (std::filesystem::temp_directory_path() / "lucid-cli.XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
    }
    Outcome run(std::vector<std::string> args, const Seeders* with = nullptr) {
        args.insert(args.begin(), "app");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::ostringstream out, err;
        int code = runCommand(static_cast<int>(args.size()), argv.data(),
                              {.database = *db, .migrations = migrations, .seeders = with ? *with : seeders,
                               .migrationsPath = (dir / "database/migrations").string(), .modelsPath = (dir / "app/models").string(),
                               .out = &out, .err = &err, .color = false});
        return {code, out.str(), err.str()};
    }
    bool hasTable(const char* t) { return db->schema().hasTable(t); }
    std::vector<std::string> recorded() {
        std::vector<std::string> out;
        for (const Row& r : db->rawQuery("select name, batch from adonis_schema order by id"))
            out.push_back(r.get<std::string>("name") + "@" + std::to_string(r.get<int64_t>("batch")));
        return out;
    }
    std::vector<std::string> labels() {
        std::vector<std::string> out;
        for (const Row& r : db->rawQuery("select label from cli_labels order by id")) out.push_back(r.get<std::string>("label"));
        return out;
    }
    static void expectOneLine(const Outcome& o) {
        EXPECT_FALSE(o.err.empty());
        EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
    }
    Migrations migrations;
    Seeders seeders;
    std::filesystem::path dir;
    const std::string labelsMigration = "database/migrations/1_create_labels", notesMigration = "database/migrations/2_create_notes";
};

TEST_P(CommandLineTest, RunThenStatusThenRollback) {
    Outcome r = run({"migration:run"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("❯ migrated " + labelsMigration + " ("), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("❯ migrated " + notesMigration + " ("), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Migrated in "), std::string::npos);
    EXPECT_TRUE(hasTable("cli_labels"));
    EXPECT_TRUE(hasTable("cli_notes"));
    EXPECT_EQ(recorded(), (std::vector<std::string>{labelsMigration + "@1", notesMigration + "@1"}));

    Outcome again = run({"migration:run"});
    EXPECT_EQ(again.code, 0);
    EXPECT_NE(again.out.find("Already up to date"), std::string::npos);

    Outcome status = run({"migration:status"});
    ASSERT_EQ(status.code, 0) << status.err;
    EXPECT_NE(status.out.find("│ Name "), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("Migrated at"), std::string::npos);
    EXPECT_TRUE(std::regex_search(status.out, std::regex("│ database/migrations/1_create_labels +│ completed +│ 1 +│ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +│")))
        << status.out;

    Outcome back = run({"migration:rollback"});
    ASSERT_EQ(back.code, 0) << back.err;
    EXPECT_NE(back.out.find("❯ reverted " + notesMigration), std::string::npos);
    EXPECT_NE(back.out.find("Reverted in "), std::string::npos);
    EXPECT_FALSE(hasTable("cli_labels"));
    EXPECT_TRUE(recorded().empty());
    EXPECT_NE(run({"migration:rollback"}).out.find("Already at latest batch"), std::string::npos);

    Outcome pending = run({"migration:status"});
    EXPECT_TRUE(std::regex_search(pending.out, std::regex("│ database/migrations/2_create_notes +│ pending +│ NA +│ +│"))) << pending.out;
}

TEST_P(CommandLineTest, RollbackByBatchAndStep) {
    migrations = Migrations{};
    migrations.add("database/migrations/1_create_labels",
                   [](Schema& s) { s.createTable("cli_labels", [](TableBuilder& t) { t.increments("id"); t.string("label"); }); },
                   [](Schema& s) { s.dropTable("cli_labels"); });
    ASSERT_EQ(run({"migration:run"}).code, 0);
    migrations.add("database/migrations/2_create_notes",
                   [](Schema& s) { s.createTable("cli_notes", [](TableBuilder& t) { t.increments("id"); }); },
                   [](Schema& s) { s.dropTable("cli_notes"); });
    ASSERT_EQ(run({"migration:run"}).code, 0);
    EXPECT_EQ(recorded(), (std::vector<std::string>{labelsMigration + "@1", notesMigration + "@2"}));

    ASSERT_EQ(run({"migration:rollback", "--step", "1"}).code, 0);
    EXPECT_EQ(recorded(), std::vector<std::string>{labelsMigration + "@1"});
    ASSERT_EQ(run({"migration:run"}).code, 0);
    ASSERT_EQ(run({"migration:rollback", "--batch=0"}).code, 0);
    EXPECT_TRUE(recorded().empty());
    EXPECT_FALSE(hasTable("cli_labels"));
}

TEST_P(CommandLineTest, ResetRefreshAndFresh) {
    ASSERT_EQ(run({"migration:run"}).code, 0);
    Outcome reset = run({"migration:reset"});
    ASSERT_EQ(reset.code, 0) << reset.err;
    EXPECT_TRUE(recorded().empty());
    EXPECT_FALSE(hasTable("cli_notes"));

    ASSERT_EQ(run({"migration:run"}).code, 0);
    db->table("cli_labels").insert({{"label", "kept?"}});
    Outcome refresh = run({"migration:refresh", "--seed"});
    ASSERT_EQ(refresh.code, 0) << refresh.err;
    EXPECT_NE(refresh.out.find("❯ reverted "), std::string::npos);
    EXPECT_NE(refresh.out.find("❯ completed LabelsSeeder"), std::string::npos) << refresh.out;
    EXPECT_EQ(labels(), (std::vector<std::string>{"from LabelsSeeder", "from MoreLabelsSeeder"}));
    EXPECT_EQ(recorded(), (std::vector<std::string>{labelsMigration + "@1", notesMigration + "@1"}));

    db->schema().createTable("cli_broken", [](TableBuilder& t) { t.increments("id"); });  // not a migration's: fresh drops it
    Outcome fresh = run({"migration:fresh"});
    ASSERT_EQ(fresh.code, 0) << fresh.err;
    EXPECT_NE(fresh.out.find("Dropped tables successfully"), std::string::npos);
    EXPECT_FALSE(hasTable("cli_broken"));
    EXPECT_TRUE(labels().empty());
    EXPECT_EQ(recorded(), (std::vector<std::string>{labelsMigration + "@1", notesMigration + "@1"}));
    ASSERT_EQ(run({"migration:fresh", "--seed"}).code, 0);
    EXPECT_EQ(labels().size(), 2u);
}

TEST_P(CommandLineTest, DryRunExecutesNothing) {
    Outcome dry = run({"migration:run", "--dry-run"});
    ASSERT_EQ(dry.code, 0) << dry.err;
    EXPECT_NE(dry.out.find("------------- " + labelsMigration + " -------------"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("create table \"cli_labels\""), std::string::npos) << dry.out;
    EXPECT_FALSE(hasTable("cli_labels"));
    EXPECT_TRUE(recorded().empty());

    ASSERT_EQ(run({"migration:run"}).code, 0);
    Outcome back = run({"migration:rollback", "--dry-run"});
    ASSERT_EQ(back.code, 0);
    EXPECT_NE(back.out.find("drop table \"cli_notes\""), std::string::npos) << back.out;
    EXPECT_TRUE(hasTable("cli_notes"));
    EXPECT_EQ(recorded().size(), 2u);
}

TEST_P(CommandLineTest, EveryFailureHasAStatusAndOneLine) {
    struct Case {
        std::vector<std::string> args;
        int code;
        std::string reason;
    };
    const std::vector<Case> cases{
        {{"migration:runn"}, 2, "Command \"migration:runn\" is not defined"},
        {{"migration:run", "--bogus"}, 2, "Unknown flag \"--bogus\" for \"migration:run\""},
        {{"migration:run", "-x"}, 2, "Unknown flag \"-x\""},
        {{"migration:rollback", "--batch"}, 2, "Missing value for flag \"--batch\""},
        {{"migration:rollback", "--batch", "two"}, 2, "expects an integer, got \"two\""},
        {{"migration:run", "--dry-run=yes"}, 2, "takes no value"},
        {{"migration:run", "extra"}, 2, "Unexpected argument \"extra\""},
        {{"make:migration"}, 2, "Missing required argument \"name\""},
        {{"make:model", "1bad"}, 2, "Invalid model name"},
        {{"migration:rollback", "--step", "-1"}, 1, "E_INVALID_ROLLBACK"},
        {{"migration:run", "--connection", "nope"}, 1, "E_INVALID_CONNECTION: \"nope\" is not a valid connection name"},
        {{"db:seed", "-c", "nope"}, 1, "\"nope\" is not a valid connection name"},
        {{"make:model", "Nothing", "--table", "cli_no_such_table"}, 1, "E_MISSING_TABLE"},
    };
    for (const Case& c : cases) {
        Outcome o = run(c.args);
        EXPECT_EQ(o.code, c.code) << c.args[0] << ": " << o.err;
        EXPECT_NE(o.err.find(c.reason), std::string::npos) << o.err;
        expectOneLine(o);
    }
    EXPECT_FALSE(hasTable("cli_labels"));  // none of them ran anything
}

TEST_P(CommandLineTest, AFailingMigrationExitsWithItsErrorAndLeavesNothing) {
    migrations.add("database/migrations/3_broken", [](Schema& s) {
        s.createTable("cli_broken", [](TableBuilder& t) { t.increments("id"); });
        s.raw("insert into cli_missing_table (x) values (1)");
    });
    Outcome o = run({"migration:run"});
    EXPECT_EQ(o.code, 1);
    EXPECT_NE(o.out.find("❯ error database/migrations/3_broken"), std::string::npos) << o.out;
    EXPECT_NE(o.err.find("E_QUERY"), std::string::npos) << o.err;
    expectOneLine(o);
    EXPECT_FALSE(hasTable("cli_broken"));
    EXPECT_EQ(recorded().size(), 2u);  // the two before it stay migrated
}

TEST_P(CommandLineTest, LockHeldElsewhereFailsWithLucidsCode) {
    if (!isPostgres()) GTEST_SKIP() << "SQLite has no advisory lock: one writer at a time already";
    Database other{GetParam()};
    Transaction holder = other.transaction();
    ASSERT_TRUE(holder.rawQuery("select pg_try_advisory_lock(1) as locked")[0].get<bool>("locked"));
    Outcome o = run({"migration:run"});
    EXPECT_EQ(o.code, 1);
    EXPECT_NE(o.err.find("E_UNABLE_ACQUIRE_LOCK: Unable to acquire lock. Concurrent migrations are not allowed"), std::string::npos) << o.err;
    EXPECT_FALSE(hasTable("cli_labels"));
    EXPECT_EQ(run({"migration:run", "--disable-locks"}).code, 0);
    holder.rawQuery("select pg_advisory_unlock(1)");
}

TEST_P(CommandLineTest, SeedRunsEverySeederOrTheChosenOnes) {
    ASSERT_EQ(run({"migration:run"}).code, 0);
    Outcome all = run({"db:seed"});
    ASSERT_EQ(all.code, 0) << all.err;
    EXPECT_NE(all.out.find("❯ completed LabelsSeeder\n❯ completed MoreLabelsSeeder"), std::string::npos) << all.out;
    EXPECT_EQ(labels(), (std::vector<std::string>{"from LabelsSeeder", "from MoreLabelsSeeder"}));

    db->truncate("cli_labels");
    ASSERT_EQ(run({"db:seed", "--files", "MoreLabelsSeeder,LabelsSeeder"}).code, 0);
    EXPECT_EQ(labels(), (std::vector<std::string>{"from MoreLabelsSeeder", "from LabelsSeeder"}));  // in the order given
    db->truncate("cli_labels");
    ASSERT_EQ(run({"db:seed", "-f", "MoreLabelsSeeder"}).code, 0);
    EXPECT_EQ(labels(), std::vector<std::string>{"from MoreLabelsSeeder"});

    db->truncate("cli_labels");
    Outcome unknown = run({"db:seed", "--files", "LabelsSeeder", "--files", "UserSeeder"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_NE(unknown.err.find("E_INVALID_SEEDER: No seeder named \"UserSeeder\" (seeders: LabelsSeeder, MoreLabelsSeeder)"), std::string::npos)
        << unknown.err;
    expectOneLine(unknown);
    EXPECT_TRUE(labels().empty());  // nothing ran
}

TEST_P(CommandLineTest, AFailingSeederLeavesNothingOfItsOwnAndStopsTheRun) {
    ASSERT_EQ(run({"migration:run"}).code, 0);
    Seeders list;
    list.add<LabelsSeeder>("1_Labels");
    list.add<FailingSeeder>("2_Failing");
    list.add<MoreLabelsSeeder>("3_MoreLabels");
    Outcome o = run({"db:seed"}, &list);
    EXPECT_EQ(o.code, 1);
    EXPECT_NE(o.out.find("❯ completed 1_Labels\n❯ error     2_Failing"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("3_MoreLabels"), std::string::npos);
    EXPECT_NE(o.err.find("cli_missing_table"), std::string::npos) << o.err;
    expectOneLine(o);
    EXPECT_EQ(labels(), std::vector<std::string>{"from LabelsSeeder"});
}

TEST_P(CommandLineTest, SeedersRefuseEmptyAndDuplicateNames) {
    Seeders list;
    list.add<LabelsSeeder>("A");
    EXPECT_THROW(list.add<LabelsSeeder>("A"), Error);
    EXPECT_THROW(list.add<LabelsSeeder>(""), Error);
    EXPECT_EQ(list.names(), std::vector<std::string>{"A"});
}

TEST_P(CommandLineTest, MakeMigrationWritesTheTemplate) {
    Outcome o = run({"make:migration", "create_posts_table"});
    ASSERT_EQ(o.code, 0) << o.err;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir / "database/migrations")) files.push_back(e.path());
    ASSERT_EQ(files.size(), 1u);
    const std::string name = files[0].filename().string();
    EXPECT_TRUE(std::regex_match(name, std::regex("\\d{13}_create_posts_table\\.cpp"))) << name;
    EXPECT_NE(o.out.find("DONE:    create " + files[0].generic_string()), std::string::npos) << o.out;
    const std::string text = readFile(files[0]);
    EXPECT_NE(text.find("struct CreatePostsTable : lucid::Migration {"), std::string::npos) << text;
    EXPECT_NE(text.find("schema.createTable(\"posts\", [](lucid::TableBuilder& t) {"), std::string::npos) << text;
    EXPECT_NE(text.find("void down(lucid::Schema& schema) override { schema.dropTable(\"posts\"); }"), std::string::npos);
    EXPECT_NE(text.find("migrations.add<CreatePostsTable>(\"" + (dir / "database/migrations" / files[0].stem()).generic_string() + "\")"),
              std::string::npos)
        << text;

    Outcome alter = run({"make:migration", "AddPointsToUsers", "--alter", "--table", "users"});
    ASSERT_EQ(alter.code, 0) << alter.err;
    bool found = false;
    for (const auto& e : std::filesystem::directory_iterator(dir / "database/migrations"))
        if (e.path().filename().string().find("_add_points_to_users.cpp") != std::string::npos) {
            found = true;
            const std::string t = readFile(e.path());
            EXPECT_NE(t.find("struct AddPointsToUsers : lucid::Migration {"), std::string::npos) << t;
            EXPECT_NE(t.find("schema.alterTable(\"users\""), std::string::npos) << t;
        }
    EXPECT_TRUE(found);
}

// Every column kind is in docs/samples/command_line_sample.cpp; here what depends on the table's name.
TEST_P(CommandLineTest, MakeModelReadsTheLiveTable) {
    ASSERT_EQ(run({"migration:run"}).code, 0);
    Outcome o = run({"make:model", "Label", "--table", "cli_labels"});
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_EQ(o.out, "DONE:    create " + (dir / "app/models/label.hpp").generic_string() + "\n");
    const std::string text = readFile(dir / "app/models/label.hpp");
    EXPECT_NE(text.find("struct Label : lucid::BaseModel<Label> {\n    int64_t id = 0;\n    std::string label;\n"), std::string::npos) << text;
    EXPECT_NE(text.find("        m.table(\"cli_labels\");\n        m.column(&Label::id, \"id\", {.isPrimary = true});\n"), std::string::npos) << text;

    Outcome twice = run({"make:model", "Label", "--table", "cli_labels"});
    EXPECT_EQ(twice.code, 1);
    EXPECT_NE(twice.err.find("E_FILE_EXISTS"), std::string::npos);
    expectOneLine(twice);
}

TEST_P(CommandLineTest, HelpListsTheCommandsAndTheirFlags) {
    Outcome help = run({"--help"});
    EXPECT_EQ(help.code, 0);
    for (const char* c : {"migration:run", "migration:rollback", "migration:status", "migration:reset", "migration:refresh",
                          "migration:fresh", "db:seed", "make:migration", "make:model"})
        EXPECT_NE(help.out.find(c), std::string::npos) << c;
    EXPECT_EQ(run({}).out, help.out);
    Outcome one = run({"migration:rollback", "--help"});
    EXPECT_EQ(one.code, 0);
    EXPECT_NE(one.out.find("--batch N"), std::string::npos) << one.out;
    EXPECT_NE(one.out.find("-c, --connection NAME"), std::string::npos) << one.out;
    EXPECT_EQ(run({"help", "migration:rollback"}).out, one.out);
    EXPECT_TRUE(help.err.empty());
}

LUCID_DB_TEST_SUITE(CommandLineTest);
