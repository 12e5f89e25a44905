// The samples of docs/schema-builder.md: scripts/docs_snippets.py copies each snippet region of this
// file into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace schema_builder_guide {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class SchemaBuilderGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"profiles", "settings", "tags", "posts", "articles", "subscriptions", "users", "accounts"});
    }
    void createUsers() {
        lucid::Database& db = *this->db;
        // [snippet:create-users]
        db.schema().createTable("users", [](lucid::TableBuilder& t) {
            t.increments("id");                                   // auto-increment primary key
            t.string("email", 255).notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.timestamps();                                       // created_at, updated_at
        });
        // [end-snippet]
    }
    // The names of the indexes of a table.
    std::vector<std::string> indexes(const std::string& table) {
        lucid::Result r = isPostgres()
            ? db->rawQuery("select indexname as name from pg_indexes where tablename = ?", {table})
            : db->rawQuery("select name from sqlite_master where type = 'index' and tbl_name = ?", {table});
        std::vector<std::string> names;
        for (const lucid::Row& row : r) names.push_back(row.get<std::string>("name"));
        return names;
    }
    bool hasIndex(const std::string& table, const std::string& name) {
        auto all = indexes(table);
        return std::find(all.begin(), all.end(), name) != all.end();
    }
};

}  // namespace schema_builder_guide

using namespace schema_builder_guide;

TEST_P(SchemaBuilderGuide, CreateTable) {
    lucid::Database& db = *this->db;
    createUsers();
    EXPECT_TRUE(db.schema().hasTable("users"));
    int64_t id = db.table("users").insert({{"email", "ada@example.com"}});
    EXPECT_EQ(id, 1);
    lucid::Row ada = *db.from("users").first();
    EXPECT_EQ(ada.get<int64_t>("points"), 0);  // defaultTo(0)
    EXPECT_TRUE(ada["created_at"].isNull());   // timestamps() are nullable
    EXPECT_TRUE(ada.has("updated_at"));
    EXPECT_THROW(db.table("users").insert({{"email", "ada@example.com"}}), lucid::QueryError);  // unique
    EXPECT_THROW(db.table("users").insert({{"email", nullptr}}), lucid::QueryError);            // not null
    EXPECT_TRUE(hasIndex("users", "users_email_unique"));
}

TEST_P(SchemaBuilderGuide, SchemaOfATransaction) {
    lucid::Database& db = *this->db;
    db.schema().createTable("posts", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.string("title");
    });
    // [snippet:transaction]
    db.transaction([](lucid::Transaction& trx) {
        trx.schema().createTable("tags", [](lucid::TableBuilder& t) { t.increments("id"); t.string("name"); });
        trx.schema().alterTable("posts", [](lucid::TableBuilder& t) { t.integer("tag_id").nullable(); });
    });
    // [end-snippet]
    EXPECT_TRUE(db.schema().hasTable("tags"));
    EXPECT_TRUE(db.schema().hasColumn("posts", "tag_id"));
    // Transactional DDL: a failure rolls the schema changes back too.
    EXPECT_THROW(db.transaction([](lucid::Transaction& trx) {
        trx.schema().createTable("articles", [](lucid::TableBuilder& t) { t.increments("id"); });
        trx.schema().alterTable("posts", [](lucid::TableBuilder& t) { t.string("subtitle").nullable(); });
        throw std::runtime_error("abandon");
    }), std::runtime_error);
    EXPECT_FALSE(db.schema().hasTable("articles"));
    EXPECT_FALSE(db.schema().hasColumn("posts", "subtitle"));
}

TEST_P(SchemaBuilderGuide, CreatingTables) {
    lucid::Database& db = *this->db;
    createUsers();
    // [snippet:create-tables]
    db.schema().createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").unsigned_().nullable()
            .references("id").inTable("users").onDelete("cascade");
        t.string("avatar_url");
        t.boolean("is_active").defaultTo(false);
        t.unique({"user_id", "avatar_url"});                  // a composite unique index
    });

    db.schema().createTableIfNotExists("settings", [](lucid::TableBuilder& t) {
        t.string("key", 64).primary();
        t.json("value").nullable();
    });
    // [end-snippet]
    int64_t ada = db.table("users").insert({{"email", "ada@example.com"}});
    db.table("profiles").insert({{"user_id", ada}, {"avatar_url", "a.png"}});
    EXPECT_FALSE(db.from("profiles").first()->get<bool>("is_active"));
    EXPECT_THROW(db.table("profiles").insert({{"user_id", ada}, {"avatar_url", "a.png"}}), lucid::QueryError);
    EXPECT_THROW(db.table("profiles").insert({{"user_id", 999}, {"avatar_url", "b.png"}}), lucid::QueryError);  // foreign key
    EXPECT_TRUE(hasIndex("profiles", "profiles_user_id_avatar_url_unique"));
    db.from("users").where("id", ada).del();
    EXPECT_EQ(db.from("profiles").count(), 0);  // on delete cascade

    db.table("settings").insertReturning({{"key", "theme"}, {"value", R"({"dark": true})"}}, "key");
    EXPECT_THROW(db.table("settings").insertReturning({{"key", "theme"}}, "key"), lucid::QueryError);  // primary key
    // Already there: nothing happens, not even the new column.
    lucid_test::QueryCounter queries(db);
    db.schema().createTableIfNotExists("settings", [](lucid::TableBuilder& t) {
        t.string("key", 64).primary();
        t.string("extra").unique();
    });
    EXPECT_FALSE(db.schema().hasColumn("settings", "extra"));
    for (const std::string& sql : queries.sqls) EXPECT_FALSE(contains(sql, "create")) << sql;

    // A table without columns, and a reference without a table: caught before any SQL runs.
    int before = queries.count;
    try {
        db.schema().createTable("empty", [](lucid::TableBuilder&) {});
        FAIL() << "a table without columns did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_TABLE");
    }
    try {
        db.schema().createTable("dangling", [](lucid::TableBuilder& t) { t.integer("user_id").references("id"); });
        FAIL() << "a reference without a table did not throw";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_INVALID_REFERENCE");
    }
    EXPECT_EQ(queries.count, before);
}

TEST_P(SchemaBuilderGuide, CreateTableSQL) {
    lucid::Database& db = *this->db;
    lucid_test::QueryCounter queries(db);
    // [snippet:create-table-sql]
    std::vector<std::string> ddl = db.schema().createTableSQL("users", [](lucid::TableBuilder& t) { t.increments("id"); /* ... */ });
    // [end-snippet]
    EXPECT_EQ(queries.count, 0);
    ASSERT_EQ(ddl.size(), 1u);
    EXPECT_EQ(ddl[0], isPostgres() ? R"(create table "users" ("id" serial primary key))"
                                   : R"(create table "users" ("id" integer not null primary key autoincrement))");
}

TEST_P(SchemaBuilderGuide, ColumnKinds) {
    lucid::Database& db = *this->db;
    std::vector<std::string> ddl = db.schema().createTableSQL("kinds", [](lucid::TableBuilder& t) {
        t.bigIncrements("id");
        t.integer("i");
        t.bigInteger("bi");
        t.string("s", 40);
        t.text("tx");
        t.boolean("b");
        t.float_("f");
        t.double_("d");
        t.decimal("dec");
        t.date("dt");
        t.dateTime("dtm");
        t.timestamp("ts");
        t.json("j");
        t.binary("bin");
        t.uuid("u");
    });
    ASSERT_EQ(ddl.size(), 1u);
    const std::string& sql = ddl[0];
    const bool pg = isPostgres();
    EXPECT_TRUE(contains(sql, pg ? R"("id" bigserial primary key)" : R"("id" integer not null primary key autoincrement)")) << sql;
    EXPECT_TRUE(contains(sql, R"("i" integer, "bi" bigint, "s" varchar(40), "tx" text, "b" boolean)")) << sql;
    EXPECT_TRUE(contains(sql, pg ? R"("f" real, "d" double precision)" : R"("f" float, "d" double)")) << sql;
    EXPECT_TRUE(contains(sql, R"("dec" decimal(8, 2), "dt" date)")) << sql;
    EXPECT_TRUE(contains(sql, pg ? R"("dtm" timestamptz, "ts" timestamptz, "j" json, "bin" bytea, "u" uuid)"
                                 : R"("dtm" datetime, "ts" datetime, "j" json, "bin" blob, "u" char(36))")) << sql;
    // Booleans come back as 0/1 on SQLite; get<bool> reads them on both.
    db.schema().createTable("kinds", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.boolean("b").defaultTo(true);
        t.decimal("price");
    });
    db.table("kinds").insert({{"price", 12.5}});
    lucid::Row row = *db.from("kinds").first();
    EXPECT_TRUE(row.get<bool>("b"));
    EXPECT_EQ(row["price"].kind(), pg ? lucid::Value::Kind::Text : lucid::Value::Kind::Double);
    EXPECT_DOUBLE_EQ(row.get<double>("price"), 12.5);
    dropTables({"kinds"});
}

TEST_P(SchemaBuilderGuide, ColumnModifiers) {
    lucid::Database& db = *this->db;
    createUsers();
    db.schema().createTable("articles", [](lucid::TableBuilder& t) {
        t.increments("id");
        // [snippet:modifiers]
        t.integer("author_id").notNullable().references("users.id").onDelete("cascade").index();
        t.timestamp("published_at").nullable().defaultToRaw("CURRENT_TIMESTAMP");
        // [end-snippet]
    });
    EXPECT_TRUE(hasIndex("articles", "articles_author_id_index"));
    int64_t ada = db.table("users").insert({{"email", "ada@example.com"}});
    db.table("articles").insert({{"author_id", ada}});
    lucid::Row article = *db.from("articles").first();
    EXPECT_FALSE(article["published_at"].isNull());  // CURRENT_TIMESTAMP
    (void)article.get<lucid::DateTime>("published_at");
    EXPECT_THROW(db.table("articles").insert({{"author_id", nullptr}}), lucid::QueryError);  // not null
    db.from("users").del();
    EXPECT_EQ(db.from("articles").count(), 0);  // on delete cascade

    // Literal defaults, quotes escaped; a Blob default throws.
    db.schema().alterTable("users", [](lucid::TableBuilder& t) {
        t.string("motto").defaultTo("it's fine");
        t.boolean("is_admin").notNullable().defaultTo(false);
    });
    db.table("users").insert({{"email", "b@x"}});
    lucid::Row b = *db.from("users").first();
    EXPECT_EQ(b.get<std::string>("motto"), "it's fine");
    EXPECT_FALSE(b.get<bool>("is_admin"));
    EXPECT_THROW(db.schema().createTable("blobs", [](lucid::TableBuilder& t) {
        t.binary("data").defaultTo(lucid::Blob{std::byte{1}});
    }), lucid::TypeError);
}

TEST_P(SchemaBuilderGuide, TableLevelHelpers) {
    lucid::Database& db = *this->db;
    db.schema().createTable("subscriptions", [](lucid::TableBuilder& t) {
        t.integer("post_id").notNullable();
        t.integer("tag_id").notNullable();
        t.integer("tenant_id");
        t.string("email");
        t.timestamp("created_at").nullable();
        // [snippet:table-helpers]
        t.unique({"tenant_id", "email"});      // <table>_tenant_id_email_unique
        t.index({"tenant_id", "created_at"});  // <table>_tenant_id_created_at_index
        t.primary({"post_id", "tag_id"});      // a composite primary key (createTable only)
        // [end-snippet]
    });
    EXPECT_TRUE(hasIndex("subscriptions", "subscriptions_tenant_id_email_unique"));
    EXPECT_TRUE(hasIndex("subscriptions", "subscriptions_tenant_id_created_at_index"));
    db.table("subscriptions").insertReturning({{"post_id", 1}, {"tag_id", 1}, {"tenant_id", 1}, {"email", "a"}}, "post_id");
    db.table("subscriptions").insertReturning({{"post_id", 1}, {"tag_id", 2}, {"tenant_id", 1}, {"email", "b"}}, "post_id");
    EXPECT_THROW(db.table("subscriptions").insertReturning({{"post_id", 1}, {"tag_id", 2}, {"tenant_id", 2}, {"email", "c"}}, "post_id"),
                 lucid::QueryError);  // primary key (post_id, tag_id)
    EXPECT_THROW(db.table("subscriptions").insertReturning({{"post_id", 2}, {"tag_id", 2}, {"tenant_id", 1}, {"email", "a"}}, "post_id"),
                 lucid::QueryError);  // unique (tenant_id, email)
}

TEST_P(SchemaBuilderGuide, ChangingTables) {
    lucid::Database& db = *this->db;
    createUsers();
    db.table("users").insert({{"email", "ada@example.com"}});
    lucid_test::QueryCounter queries(db);
    // [snippet:alter-table]
    db.schema().alterTable("users", [](lucid::TableBuilder& t) {
        t.string("name").nullable();                 // add column
        t.integer("age").defaultTo(1);
        t.string("code").nullable().unique();        // added, then its unique index is created
    });
    db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.renameColumn("name", "full_name"); });
    db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.dropColumn("full_name"); });
    // [end-snippet]
    ASSERT_GE(queries.sqls.size(), 6u);
    EXPECT_TRUE(queries.sqls[2].starts_with(R"(alter table "users" add column "code")")) << queries.sqls[2];
    EXPECT_TRUE(contains(queries.sqls[3], R"("users_code_unique")")) << queries.sqls[3];  // constraint or index
    EXPECT_TRUE(contains(queries.sqls[4], R"(rename column "name" to "full_name")")) << queries.sqls[4];
    EXPECT_FALSE(db.schema().hasColumn("users", "name"));
    EXPECT_FALSE(db.schema().hasColumn("users", "full_name"));
    EXPECT_TRUE(db.schema().hasColumn("users", "code"));
    EXPECT_EQ(db.from("users").first()->get<int64_t>("age"), 1);  // the default fills the existing row
    EXPECT_TRUE(hasIndex("users", "users_code_unique"));

    // A notNullable column without a default cannot be added to a table with rows, on either database.
    EXPECT_THROW(db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.integer("rank").notNullable(); }),
                 lucid::QueryError);
    if (isPostgres()) {
        db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.timestamp("seen_at").defaultToRaw("CURRENT_TIMESTAMP"); });
        EXPECT_FALSE(db.from("users").first()->get<std::optional<lucid::DateTime>>("seen_at") == std::nullopt);
        db.from("users").del();
        db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.integer("rank").notNullable(); });
        EXPECT_TRUE(db.schema().hasColumn("users", "rank"));
    } else {
        // SQLite refuses a non-constant default for an added column (checked here on a table with rows:
        // SQLite 3.37+ only checks either rule when the table has rows).
        EXPECT_THROW(db.schema().alterTable("users", [](lucid::TableBuilder& t) {
            t.timestamp("seen_at").defaultToRaw("CURRENT_TIMESTAMP");
        }), lucid::QueryError);
    }
    // dropColumn of an indexed column: its index goes with it, the rows stay (SQLite rebuilds the table)
    db.schema().alterTable("users", [](lucid::TableBuilder& t) { t.dropColumn("code"); });
    EXPECT_FALSE(hasIndex("users", "users_code_unique"));
    EXPECT_TRUE(hasIndex("users", "users_email_unique"));
}

TEST_P(SchemaBuilderGuide, DroppingRenamingInspecting) {
    lucid::Database& db = *this->db;
    createUsers();
    db.schema().createTable("profiles", [](lucid::TableBuilder& t) {
        t.increments("id");
        t.integer("user_id").references("users.id");
    });
    // [snippet:drop-rename-inspect]
    db.schema().dropTable("profiles");              // QueryError if it does not exist
    db.schema().dropTableIfExists("profiles");
    db.schema().renameTable("users", "accounts");

    bool hasUsers = db.schema().hasTable("users");
    bool hasEmail = db.schema().hasColumn("users", "email");
    // [end-snippet]
    EXPECT_FALSE(hasUsers);  // renamed
    EXPECT_FALSE(hasEmail);
    EXPECT_TRUE(db.schema().hasTable("accounts"));
    EXPECT_TRUE(db.schema().hasColumn("accounts", "email"));
    EXPECT_FALSE(db.schema().hasTable("profiles"));
    EXPECT_THROW(db.schema().dropTable("profiles"), lucid::QueryError);
}

LUCID_DB_TEST_SUITE(SchemaBuilderGuide);
