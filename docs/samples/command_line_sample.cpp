// The samples of docs/command-line.md: scripts/docs_snippets.py copies each snippet region of this file into
// the guide, and the test suite runs it on SQLite and PostgreSQL. command_line_gadget.hpp is make:model's
// output for the gadgets table below: a test here checks that a fresh run gives it again, on both databases.
#include "support/db_test.hpp"

#include "command_line_gadget.hpp"

#include <stdlib.h>  // mkdtemp, setenv

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace command_line_guide {

struct CreateGadgetsTable : lucid::Migration {
    // [snippet:gadgets-table]
    void up(lucid::Schema& schema) override {
        schema.createTable("gadgets", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
            t.text("description").nullable();
            t.boolean("is_active").notNullable();
            t.integer("stock").notNullable();
            t.bigInteger("views").nullable();
            t.double_("ratio").notNullable();
            t.float_("weight").nullable();
            t.decimal("price", 8, 2).notNullable();
            t.date("released_on").nullable();
            t.json("meta").nullable();
            t.binary("picture").nullable();
            t.uuid("serial").nullable();
            t.string("externalID").nullable();
            t.timestamps();
        });
    }
    // [end-snippet]
    void down(lucid::Schema& schema) override { schema.dropTable("gadgets"); }
};

struct GadgetSeeder : lucid::Seeder {
    void run(lucid::QueryClient& client) override {
        Gadget::create({.name = "Sprocket", .isActive = true, .price = lucid::Decimal{"19.99"}, .meta = nlohmann::json{{"colour", "red"}}},
                       client);
    }
};

namespace app {
// [snippet:main]
int main(int argc, char** argv) {
    lucid::Migrations migrations;
    migrations.add<CreateGadgetsTable>("database/migrations/1700000000000_create_gadgets_table");
    lucid::Seeders seeders;
    seeders.add<GadgetSeeder>("GadgetSeeder");

    lucid::Database db{std::getenv("DATABASE_URL")};
    return lucid::runCommand(argc, argv, {.database = db, .migrations = migrations, .seeders = seeders});
}
// [end-snippet]
}  // namespace app

class CommandLineGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"gadgets", "adonis_schema", "adonis_schema_versions"});
        migrations.add<CreateGadgetsTable>("database/migrations/1700000000000_create_gadgets_table");
        seeders.add<GadgetSeeder>("GadgetSeeder");
    }
    int command(std::vector<std::string> args) {
        args.insert(args.begin(), "app");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        // [snippet:in-process]
        std::ostringstream out, err;
        int status = lucid::runCommand(static_cast<int>(argv.size()), argv.data(),
                                       {.database = *db, .migrations = migrations, .seeders = seeders,
                                        .out = &out, .err = &err, .color = false});
        // [end-snippet]
        output = out.str();
        errors = err.str();
        return status;
    }
    lucid::Migrations migrations;
    lucid::Seeders seeders;
    std::string output, errors;
};

}  // namespace command_line_guide

using namespace command_line_guide;

TEST_P(CommandLineGuide, MainRunsTheCommandLine) {
    const std::string url = GetParam();
    setenv("DATABASE_URL", url.c_str(), 1);
    if (url == "sqlite::memory:") GTEST_SKIP() << "each Database of sqlite::memory: is a database of its own";
    std::string run = "migration:run", seed = "db:seed";
    char program[] = "app";
    char* argv[] = {program, run.data(), nullptr};
    EXPECT_EQ(app::main(2, argv), 0);
    argv[1] = seed.data();
    EXPECT_EQ(app::main(2, argv), 0);
    EXPECT_EQ(Gadget::query().count(), 1);
}

TEST_P(CommandLineGuide, TheGeneratedModelWorks) {
    ASSERT_EQ(command({"migration:run"}), 0) << errors;
    ASSERT_EQ(command({"db:seed"}), 0) << errors;
    Gadget g = Gadget::firstOrFail();
    EXPECT_EQ(g.name, "Sprocket");
    EXPECT_EQ(g.price.toString(), "19.99");
    EXPECT_EQ(g.meta.value().at("colour"), "red");
    EXPECT_FALSE(g.description.has_value());
    EXPECT_TRUE(g.createdAt.has_value());
    g.externalID = "X-1";
    g.save();
    EXPECT_EQ(db->from("gadgets").where("externalID", "X-1").count(), 1);
}

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

TEST_P(CommandLineGuide, MakeModelGivesTheCheckedInModel) {
    ASSERT_EQ(command({"migration:run"}), 0) << errors;
    std::string pattern = (std::filesystem::temp_directory_path() / "lucid-make-model.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    const std::filesystem::path dir = pattern;
    std::string name = "Gadget", table = "gadgets", make = "make:model", flag = "--table";
    char program[] = "app";
    char* argv[] = {program, make.data(), name.data(), flag.data(), table.data(), nullptr};
    std::ostringstream out, err;
    int status = lucid::runCommand(5, argv, {.database = *db, .modelsPath = (dir / "models").string(), .out = &out, .err = &err});
    const std::string generated = readFile(dir / "models/gadget.hpp");
    std::filesystem::remove_all(dir);
    ASSERT_EQ(status, 0) << err.str();
    const std::filesystem::path source = LUCID_SOURCE_DIR;
    const std::string sample = readFile(source / "docs/samples/command_line_gadget.hpp");
    EXPECT_EQ(generated, sample);
    // and the guide shows it as it is
    EXPECT_NE(readFile(source / "docs/command-line.md").find("```text\n" + sample + "```"), std::string::npos);
}

TEST_P(CommandLineGuide, StatusAndFailures) {
    ASSERT_EQ(command({"migration:status"}), 0);
    EXPECT_NE(output.find("│ database/migrations/1700000000000_create_gadgets_table │ pending │ NA    │"), std::string::npos) << output;
    EXPECT_EQ(command({"migration:rollback", "--step"}), 2);
    EXPECT_EQ(errors, "Missing value for flag \"--step\" (N)\n");
    EXPECT_EQ(command({"db:seed"}), 1);  // no gadgets table yet
    EXPECT_NE(errors.find("E_QUERY_ERROR: "), std::string::npos) << errors;
}

LUCID_DB_TEST_SUITE(CommandLineGuide);
