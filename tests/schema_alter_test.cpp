// alterTable inside real migrations: every operation on a table that holds rows, on both databases;
// SQLite rebuilds the table where its ALTER TABLE cannot, and must keep every row, index and foreign key.
#include "support/db_test.hpp"

#include "sql/dialect.hpp"

#include <algorithm>

using namespace lucid;
using lucid_test::DbTest;

class SchemaAlterTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"alt_children", "alt_notes", "alt_owners", "alt_people", "alt_memos", "alt_codes"});
        db->schema().createTable("alt_people", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
            t.integer("age").nullable();
            t.string("note").nullable().index();
            t.string("code").nullable().unique();
        });
        // written by raw SQL, read back after each change
        db->rawQuery("insert into alt_people (name, age, note, code) values ('ann', 30, 'a', 'A1'), ('bob', null, 'b', 'B2'), "
                     "('cy', 41, null, null)");
    }
    std::vector<std::string> names() {
        std::vector<std::string> out;
        for (const Row& r : db->rawQuery("select name from alt_people order by id")) out.push_back(r.get<std::string>("name"));
        return out;
    }
    std::string columnType(const std::string& table, const std::string& column) {
        for (const Row& r : db->rawQuery(db->dialect().columnsSQL(), {table}))
            if (r.get<std::string>("name") == column) return r.get<std::string>("type");
        return "";
    }
    bool hasIndex(const std::string& name) {
        return !db->rawQuery(isPostgres() ? "select 1 from pg_indexes where indexname = ?"
                                          : "select 1 from sqlite_master where type = 'index' and name = ?",
                             {name})
                    .empty();
    }
    const std::vector<std::string> three{"ann", "bob", "cy"};
};

TEST_P(SchemaAlterTest, DropColumnsKeepRowsAndTheOtherIndexes) {
    db->schema().alterTable("alt_people", [](TableBuilder& t) { t.dropColumn("note"); });  // an indexed column
    db->schema().alterTable("alt_people", [](TableBuilder& t) { t.dropColumns({"age"}); });
    EXPECT_FALSE(db->schema().hasColumn("alt_people", "note"));
    EXPECT_FALSE(db->schema().hasColumn("alt_people", "age"));
    EXPECT_EQ(names(), three);
    EXPECT_EQ(db->rawQuery("select code from alt_people where name = 'bob'")[0].get<std::string>("code"), "B2");
    EXPECT_FALSE(hasIndex("alt_people_note_index"));
    EXPECT_EQ(db->table("alt_people").insert({{"name", "dee"}}), 4);  // ids continue
    EXPECT_THROW(db->rawQuery("insert into alt_people (name, code) values ('dup', 'A1')"), QueryError);  // unique kept
}

TEST_P(SchemaAlterTest, RenameColumnKeepsValues) {
    db->schema().alterTable("alt_people", [](TableBuilder& t) { t.renameColumn("age", "years"); });
    auto rows = db->rawQuery("select years from alt_people order by id");
    EXPECT_EQ(rows[0].get<int64_t>("years"), 30);
    EXPECT_TRUE(rows[1]["years"].isNull());
}

TEST_P(SchemaAlterTest, AlterChangesTypeNullabilityAndDefault) {
    db->rawQuery("update alt_people set age = 0 where age is null");
    db->schema().alterTable("alt_people", [](TableBuilder& t) { t.bigInteger("age").notNullable().defaultTo(7).alter(); });
    EXPECT_EQ(columnType("alt_people", "age"), "bigint");
    db->rawQuery("insert into alt_people (name) values ('dee')");
    auto ages = db->rawQuery("select age from alt_people order by id");
    ASSERT_EQ(ages.size(), 4u);
    EXPECT_EQ(ages[0].get<int64_t>("age"), 30);
    EXPECT_EQ(ages[2].get<int64_t>("age"), 41);
    EXPECT_EQ(ages[3].get<int64_t>("age"), 7);  // the new default
    EXPECT_THROW(db->rawQuery("insert into alt_people (name, age) values ('eve', null)"), QueryError);
    // and back: nullable, no default (what alter() does not declare goes, as in knex)
    db->schema().alterTable("alt_people", [](TableBuilder& t) { t.integer("age").alter(); });
    db->rawQuery("insert into alt_people (name) values ('fay')");
    EXPECT_TRUE(db->rawQuery("select age from alt_people where name = 'fay'")[0]["age"].isNull());
    EXPECT_EQ(names(), (std::vector<std::string>{"ann", "bob", "cy", "dee", "fay"}));
    EXPECT_TRUE(hasIndex("alt_people_note_index"));
}

TEST_P(SchemaAlterTest, AlterRefusesRowsThatBreakTheNewDefinitionAndChangesNothing) {
    EXPECT_THROW(db->schema().alterTable("alt_people", [](TableBuilder& t) { t.integer("age").notNullable().alter(); }), QueryError);
    EXPECT_EQ(names(), three);
    db->rawQuery("insert into alt_people (name, age) values ('dee', null)");  // still nullable
}

TEST_P(SchemaAlterTest, IndexesAndUniquesAreAddedAndDropped) {
    db->schema().alterTable("alt_people", [](TableBuilder& t) {
        t.dropUnique({"code"});
        t.dropIndex({"note"});
        t.index({"name", "age"});
    });
    EXPECT_FALSE(hasIndex("alt_people_note_index"));
    EXPECT_TRUE(hasIndex("alt_people_name_age_index"));
    db->rawQuery("insert into alt_people (name, code) values ('dup', 'A1')");  // no longer unique
    db->rawQuery("delete from alt_people where name = 'dup'");
    db->schema().alterTable("alt_people", [](TableBuilder& t) {
        t.unique({"name"});
        t.dropIndex({"name", "age"});
    });
    EXPECT_THROW(db->rawQuery("insert into alt_people (name) values ('ann')"), QueryError);
    EXPECT_FALSE(hasIndex("alt_people_name_age_index"));
    EXPECT_EQ(names(), three);
}

TEST_P(SchemaAlterTest, ForeignKeysAreAddedWithActionsAndDropped) {
    db->schema().createTable("alt_owners", [](TableBuilder& t) { t.increments("id"); t.string("name"); });
    db->schema().createTable("alt_notes", [](TableBuilder& t) {
        t.increments("id");
        t.integer("owner_id").nullable();
        t.string("body");
    });
    db->rawQuery("insert into alt_owners (name) values ('o1'), ('o2')");
    db->rawQuery("insert into alt_notes (owner_id, body) values (1, 'x'), (2, 'y'), (2, 'z')");
    db->schema().alterTable("alt_notes", [](TableBuilder& t) {
        t.foreign("owner_id").references("id").inTable("alt_owners").onDelete("cascade");
    });
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_notes")[0].get<int64_t>("n"), 3);
    EXPECT_THROW(db->rawQuery("insert into alt_notes (owner_id, body) values (999, 'w')"), QueryError);
    db->rawQuery("delete from alt_owners where id = 2");  // the cascade
    auto left = db->rawQuery("select body from alt_notes order by id");
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].get<std::string>("body"), "x");

    db->schema().alterTable("alt_notes", [](TableBuilder& t) { t.dropForeign({"owner_id"}); });
    db->rawQuery("insert into alt_notes (owner_id, body) values (999, 'w')");
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_notes")[0].get<int64_t>("n"), 2);
}

TEST_P(SchemaAlterTest, DropForeignFindsAKeyDeclaredOnTheColumn) {
    db->schema().createTable("alt_owners", [](TableBuilder& t) { t.increments("id"); });
    db->schema().createTable("alt_notes", [](TableBuilder& t) {
        t.increments("id");
        t.integer("owner_id").unsigned_().nullable().references("id").inTable("alt_owners");
    });
    db->rawQuery("insert into alt_owners default values");
    db->rawQuery("insert into alt_notes (owner_id) values (1)");
    EXPECT_THROW(db->rawQuery("insert into alt_notes (owner_id) values (5)"), QueryError);
    db->schema().alterTable("alt_notes", [](TableBuilder& t) { t.dropForeign({"owner_id"}); });
    db->rawQuery("insert into alt_notes (owner_id) values (5)");
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_notes")[0].get<int64_t>("n"), 2);
    EXPECT_THROW(db->schema().alterTable("alt_notes", [](TableBuilder& t) { t.dropForeign({"owner_id"}); }), Error);
}

TEST_P(SchemaAlterTest, PrimaryKeysAreDroppedAndAdded) {
    db->schema().createTable("alt_codes", [](TableBuilder& t) {
        t.string("code").primary();
        t.integer("n").notNullable();
    });
    db->rawQuery("insert into alt_codes (code, n) values ('a', 1), ('b', 2)");
    EXPECT_THROW(db->rawQuery("insert into alt_codes (code, n) values ('a', 3)"), QueryError);
    db->schema().alterTable("alt_codes", [](TableBuilder& t) { t.dropPrimary(); });
    db->rawQuery("insert into alt_codes (code, n) values ('a', 3)");
    db->schema().alterTable("alt_codes", [](TableBuilder& t) { t.primary({"code", "n"}); });
    EXPECT_THROW(db->rawQuery("insert into alt_codes (code, n) values ('a', 3)"), QueryError);
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_codes")[0].get<int64_t>("n"), 3);
}

// The table other tables point at is rebuilt (on SQLite): their rows, its indexes and ids all stay.
TEST_P(SchemaAlterTest, RebuildingAReferencedTableKeepsEverything) {
    db->schema().createTable("alt_children", [](TableBuilder& t) {
        t.increments("id");
        t.integer("person_id").notNullable().references("id").inTable("alt_people");
    });
    db->rawQuery("insert into alt_children (person_id) values (1), (2), (2)");
    db->rawQuery("insert into alt_people (name) values ('gone')");
    db->rawQuery("delete from alt_people where name = 'gone'");  // id 4 used once: the next id is 5
    db->schema().alterTable("alt_people", [](TableBuilder& t) {
        t.dropColumn("age");
        t.string("name", 100).notNullable().alter();
    });
    EXPECT_EQ(names(), three);
    EXPECT_EQ(db->table("alt_people").insert({{"name", "dee"}}), 5);
    db->rawQuery("delete from alt_people where name = 'dee'");
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_children")[0].get<int64_t>("n"), 3);
    EXPECT_TRUE(hasIndex("alt_people_note_index"));
    EXPECT_THROW(db->rawQuery("insert into alt_people (name, code) values ('dup', 'A1')"), QueryError);
    EXPECT_THROW(db->rawQuery("insert into alt_children (person_id) values (99)"), QueryError);
    EXPECT_THROW(db->rawQuery("delete from alt_people where id = 2"), QueryError);  // still referenced
}

// Rows of another table that point at a rebuilt table with ON DELETE CASCADE are never deleted by it:
// PostgreSQL alters in place; SQLite cannot stop the action inside a transaction, so it refuses.
TEST_P(SchemaAlterTest, CascadingReferencesNeverLoseRows) {
    db->schema().createTable("alt_children", [](TableBuilder& t) {
        t.increments("id");
        t.integer("person_id").references("id").inTable("alt_people").onDelete("cascade");
    });
    db->rawQuery("insert into alt_children (person_id) values (1), (2)");
    auto alter = [&] { db->schema().alterTable("alt_people", [](TableBuilder& t) { t.dropColumn("age"); }); };
    if (isPostgres()) {
        alter();
    } else {
        try {
            alter();
            ADD_FAILURE() << "the rebuild went ahead";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "E_UNSAFE_REBUILD");
        }
    }
    EXPECT_EQ(db->rawQuery("select count(*) as n from alt_children")[0].get<int64_t>("n"), 2);
    EXPECT_EQ(names(), three);
}

TEST_P(SchemaAlterTest, RenameTableAndRaw) {
    db->schema().renameTable("alt_people", "alt_memos");
    db->schema().raw("update alt_memos set name = 'ann2' where id = 1");
    EXPECT_FALSE(db->schema().hasTable("alt_people"));
    EXPECT_EQ(db->rawQuery("select name from alt_memos where id = 1")[0].get<std::string>("name"), "ann2");
}

TEST_P(SchemaAlterTest, CollectingSchemaRunsNothing) {
    std::vector<std::string> sql;
    Schema schema(*db, sql);
    schema.createTable("alt_memos", [](TableBuilder& t) { t.increments("id"); });
    schema.alterTable("alt_people", [](TableBuilder& t) { t.renameColumn("age", "years"); });
    schema.raw("delete from alt_people");
    EXPECT_EQ(sql.size(), 3u);
    EXPECT_FALSE(db->schema().hasTable("alt_memos"));
    EXPECT_TRUE(db->schema().hasColumn("alt_people", "age"));
    EXPECT_EQ(names(), three);
}

LUCID_DB_TEST_SUITE(SchemaAlterTest);
