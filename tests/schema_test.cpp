#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;

class SchemaTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "users", "kinds"});
    }
};

TEST_P(SchemaTest, CreateTableWithEveryColumnKind) {
    db->schema().createTable("kinds", [](TableBuilder& t) {
        t.bigIncrements("id");
        t.integer("i").notNullable().defaultTo(7);
        t.bigInteger("bi").nullable();
        t.string("s", 40).defaultTo("it's");
        t.text("tx");
        t.boolean("b").defaultTo(true);
        t.float_("f");
        t.double_("d");
        t.decimal("dec", 10, 3);
        t.date("dt");
        t.dateTime("dtt");
        t.timestamp("ts");
        t.json("j");
        t.binary("bin");
        t.uuid("u");
        t.timestamps();
    });
    EXPECT_TRUE(db->schema().hasTable("kinds"));
    EXPECT_TRUE(db->schema().hasColumn("kinds", "created_at"));
    EXPECT_FALSE(db->schema().hasColumn("kinds", "nope"));
    int64_t id = db->table("kinds").insert({{"tx", "x"}});
    auto row = db->from("kinds").where("id", id).first();
    EXPECT_EQ(row->get<int64_t>("i"), 7);
    EXPECT_EQ(row->get<std::string>("s"), "it's");
    EXPECT_TRUE(row->get<bool>("b"));
    EXPECT_TRUE((*row)["bi"].isNull());
    db->from("kinds").where("id", id).update({{"u", "123e4567-e89b-12d3-a456-426614174000"}, {"dec", 1.5}});
    EXPECT_EQ(db->from("kinds").first()->get<std::string>("u"), "123e4567-e89b-12d3-a456-426614174000");
}

TEST_P(SchemaTest, NotNullUniqueAndReferences) {
    db->schema().createTable("users", [](TableBuilder& t) {
        t.increments("id");
        t.string("email", 255).notNullable().unique();
    });
    db->schema().createTable("profiles", [](TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().nullable().references("id").inTable("users").onDelete("cascade");
    });
    EXPECT_THROW(db->table("users").insert({{"email", nullptr}}), QueryError);
    int64_t u = db->table("users").insert({{"email", "a"}});
    EXPECT_THROW(db->table("users").insert({{"email", "a"}}), QueryError);
    db->table("profiles").insert({{"user_id", u}});
    EXPECT_THROW(db->table("profiles").insert({{"user_id", 999}}), QueryError);  // foreign key enforced
    db->from("users").where("id", u).del();
    EXPECT_EQ(db->from("profiles").count(), 0);  // on delete cascade
}

TEST_P(SchemaTest, AlterTableAddsRenamesAndDropsColumns) {
    db->schema().createTable("users", [](TableBuilder& t) {
        t.increments("id");
        t.string("email");
    });
    db->schema().alterTable("users", [](TableBuilder& t) {
        t.string("name").nullable();
        t.integer("age").defaultTo(1);
    });
    EXPECT_TRUE(db->schema().hasColumn("users", "name"));
    db->table("users").insert({{"email", "e"}, {"name", "n"}});
    EXPECT_EQ(db->from("users").first()->get<int64_t>("age"), 1);
    db->schema().alterTable("users", [](TableBuilder& t) { t.renameColumn("name", "full_name"); });
    EXPECT_TRUE(db->schema().hasColumn("users", "full_name"));
    db->schema().alterTable("users", [](TableBuilder& t) { t.dropColumn("full_name"); });
    EXPECT_FALSE(db->schema().hasColumn("users", "full_name"));
    db->schema().dropTable("users");
    EXPECT_FALSE(db->schema().hasTable("users"));
    EXPECT_THROW(db->schema().dropTable("users"), QueryError);
    EXPECT_NO_THROW(db->schema().dropTableIfExists("users"));
}

TEST_P(SchemaTest, BadDefinitionsFailBeforeAnySql) {
    EXPECT_THROW(db->schema().createTable("users", [](TableBuilder&) {}), Error);
    EXPECT_THROW(db->schema().createTable("users", [](TableBuilder& t) { t.integer("x").references("id"); }), Error);
    EXPECT_FALSE(db->schema().hasTable("users"));
}

LUCID_DB_TEST_SUITE(SchemaTest);
