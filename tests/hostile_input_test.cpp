// SQL-injection payloads through every API that takes a value or an identifier. Values travel as
// bindings and identifiers are quoted, so a payload is stored and matched as the text it is, or an
// identifier that names nothing fails with an error; it never runs as SQL. After each payload the
// table holds exactly the rows it should.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;

namespace hostile {
struct Account : BaseModel<Account> {
    int64_t id = 0;
    std::string name;
    std::optional<std::string> note;
    int64_t balance = 0;
    static void define(ModelDefinition<Account>& m) {
        m.column(&Account::id, "id", {.isPrimary = true});
        m.column(&Account::name, "name");
        m.column(&Account::note, "note");
        m.column(&Account::balance, "balance");
    }
};
}  // namespace hostile
using hostile::Account;

namespace {
const std::vector<std::string>& payloads() {
    static const std::vector<std::string> list = {
        "'; drop table accounts; --",
        "\"; drop table accounts; --",
        "' or '1'='1",
        "\" or \"1\"=\"1",
        "1 or 1=1",
        "1; delete from accounts",
        "') or ('a'='a",
        "admin'--",
        "' union select null, null, null, null --",
        "\\'; delete from accounts; --",
        "%' or '%'='",
        "?",
        "$1",
        "\\?",
        "' || (select count(*) from accounts) || '",
        "accounts\"; drop table accounts; --",
        "name = name",
        "*",
        "E'\\x27'",
        "\xca\xbc or 1=1 --",  // a modifier letter apostrophe
        "a\tb\nc\rd",
        "-- comment",
        "/* open comment",
        "'",
        "\"",
        "``",
    };
    return list;
}
}  // namespace

class HostileInputTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"accounts"});
        db->schema().createTable("accounts", [](TableBuilder& t) {
            t.increments("id");
            t.string("name").notNullable();
            t.text("note").nullable();
            t.bigInteger("balance").defaultTo(0);
        });
        for (const char* n : {"alice", "bob", "carol"}) Account::create({.name = n, .balance = 100});
    }
    // The three seeded rows are intact and nothing else changed.
    void expectIntact(std::size_t extra = 0) {
        Result r = db->rawQuery("select name, balance from accounts order by id");
        ASSERT_EQ(r.size(), 3 + extra);
        EXPECT_EQ(r[0].get<std::string>("name"), "alice");
        EXPECT_EQ(r[2].get<std::string>("name"), "carol");
        EXPECT_EQ(r[1].get<int64_t>("balance"), 100);
    }
};

TEST_P(HostileInputTest, ValuesAreStoredAndMatchedAsText) {
    std::size_t added = 0;
    for (const std::string& p : payloads()) {
        SCOPED_TRACE(p);
        // matching: nothing has this name
        EXPECT_EQ(db->from("accounts").where("name", p).count(), 0);
        EXPECT_EQ(db->from("accounts").whereIn("name", {p, "nobody"}).count(), 0);
        EXPECT_EQ(db->from("accounts").whereNot("name", p).count(), static_cast<int64_t>(3 + added));
        EXPECT_EQ(db->from("accounts").whereLike("name", p).count(),
                  static_cast<int64_t>(db->rawQuery("select id from accounts where name like ?", {p}).size()));
        EXPECT_EQ(Account::query().where(&Account::name, p).count(), 0);
        EXPECT_FALSE(Account::findBy(&Account::name, p));
        EXPECT_EQ(db->rawQuery("select id from accounts where name = ?", {p}).size(), 0u);
        expectIntact(added);
        // storing: the exact text comes back, through the model and through raw SQL
        Account a = Account::create({.name = p, .note = p});
        ++added;
        auto back = Account::findOrFail(a.id);
        EXPECT_EQ(back.name, p);
        EXPECT_EQ(back.note, p);
        EXPECT_EQ(db->rawQuery("select note from accounts where id = ?", {a.id})[0].get<std::string>("note"), p);
        EXPECT_EQ(Account::query().where(&Account::name, p).count(), 1);
        // updating with it touches that row only
        EXPECT_EQ(db->from("accounts").where("id", a.id).update({{"note", p + p}}), 1);
        EXPECT_EQ(db->from("accounts").where("note", p + p).count(), 1);
        back.note = "!" + p;
        back.save();
        EXPECT_EQ(db->from("accounts").where("note", "!" + p).count(), 1);
        expectIntact(added);
    }
}

TEST_P(HostileInputTest, IdentifiersNamingNothingFail) {
    for (const std::string& p : payloads()) {
        if (p == "*") continue;  // the one payload that is a valid selection
        SCOPED_TRACE(p);
        EXPECT_THROW(db->from(p).count(), Error);
        EXPECT_THROW(db->from("accounts").where(p, 1).count(), Error);
        EXPECT_THROW(db->from("accounts").orderBy(p).exec(), Error);
        EXPECT_THROW(db->from("accounts").select(p).exec(), Error);
        EXPECT_THROW(db->from("accounts").groupBy(p).select("name").exec(), Error);
        EXPECT_THROW(db->table("accounts").insert({{p, 1}}), Error);
        EXPECT_THROW(db->from("accounts").update({{p, 1}}), Error);
        EXPECT_THROW(db->from("accounts").whereColumn("name", "=", p).exec(), Error);
        EXPECT_THROW(Account::query().orderBy(p).all(), Error);
        EXPECT_THROW(Account::query().where(p, 1).all(), Error);
        EXPECT_THROW(db->from("accounts").where("name", p, "x").exec(), Error);  // the operator is checked too
        expectIntact();
    }
}

// SQLite takes a double-quoted name that matches no column for a string literal unless told not to:
// a mistyped column would compare a constant and silently match nothing.
TEST_P(HostileInputTest, AMistypedColumnIsAnErrorNotALiteral) {
    EXPECT_THROW(db->from("accounts").where("nmae", "alice").count(), QueryError);
    EXPECT_THROW(db->from("accounts").whereColumn("name", "=", "nmae").count(), QueryError);
    EXPECT_THROW(Account::query().whereColumn(&Account::name, "=", "nmae").count(), Error);  // known first: no such property
    EXPECT_THROW(db->from("accounts").select("nmae").exec(), QueryError);
}

TEST_P(HostileInputTest, IdentifiersWithANulByteAreRefused) {
    const std::string nul("name\0; drop table accounts", 26);
    EXPECT_THROW(db->from("accounts").where(nul, 1).exec(), Error);
    EXPECT_THROW(db->from(nul).exec(), Error);
    expectIntact();
}

LUCID_DB_TEST_SUITE(HostileInputTest);
