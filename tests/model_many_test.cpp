// Static updateOrCreateMany / fetchOrCreateMany and truncate (API.md §12), on both databases: rows read
// back with raw SQL, statements counted for the constant-statement claim.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace {

struct Member : BaseModel<Member> {
    int64_t id = 0;
    std::string email;
    int64_t points = 0;
    std::optional<std::string> note;
    static void define(ModelDefinition<Member>& m) {
        m.column(&Member::id, "id", {.isPrimary = true});
        m.column(&Member::email, "email");
        m.column(&Member::points, "points");
        m.column(&Member::note, "note");
    }
};

// The same table with save hooks: every row goes through save() (one INSERT each), hooks see each.
struct HookedMember : BaseModel<HookedMember> {
    int64_t id = 0;
    std::string email;
    int64_t points = 0;
    std::optional<std::string> note;
    static void define(ModelDefinition<HookedMember>& m) {
        m.table("members");
        m.column(&HookedMember::id, "id", {.isPrimary = true});
        m.column(&HookedMember::email, "email");
        m.column(&HookedMember::points, "points");
        m.column(&HookedMember::note, "note");
        m.beforeCreate([](HookedMember& h) { h.note = "created"; });
        m.beforeUpdate([](HookedMember& h) { h.note = "updated"; });
    }
};

}  // namespace

class ModelManyTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"members"});
        db->schema().createTable("members", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.string("note").nullable();
        });
        db->table("members").insertMany({{{"email", "a@x.com"}, {"points", 1}, {"note", "kept"}}, {{"email", "b@x.com"}, {"points", 2}, {"note", nullptr}}});
    }
    int64_t pointsOf(const std::string& email) {
        Result r = db->rawQuery("select points from members where email = ?", {email});
        return r.empty() ? -1 : r[0].get<int64_t>("points");
    }
    int64_t idOf(const std::string& email) { return db->rawQuery("select id from members where email = ?", {email})[0].get<int64_t>("id"); }
    static std::vector<Member> payload(int from, int to, int64_t points) {
        std::vector<Member> rows;
        for (int i = from; i < to; ++i) rows.push_back(Member{.email = "m" + std::to_string(i) + "@x.com", .points = points});
        return rows;
    }
};

TEST_P(ModelManyTest, UpdateOrCreateManyUpdatesMatchesAndCreatesTheRestInPayloadOrder) {
    const int64_t aId = idOf("a@x.com");
    std::vector<Member> out = Member::updateOrCreateMany(
        &Member::email, {Member{.email = "c@x.com", .points = 3}, Member{.email = "a@x.com", .points = 10}, Member{.email = "d@x.com", .points = 4}});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].email, "c@x.com");
    EXPECT_EQ(out[1].email, "a@x.com");
    EXPECT_EQ(out[2].email, "d@x.com");
    EXPECT_EQ(out[1].id, aId);  // the existing row, not a new one
    EXPECT_FALSE(out[1].isLocal());
    EXPECT_TRUE(out[0].isLocal());
    EXPECT_EQ(out[0].id, idOf("c@x.com"));
    EXPECT_EQ(out[2].id, idOf("d@x.com"));
    for (const Member& m : out) EXPECT_TRUE(m.isPersisted() && !m.isDirty()) << m.email;
    EXPECT_EQ(pointsOf("a@x.com"), 10);
    EXPECT_EQ(pointsOf("b@x.com"), 2);  // not in the payload
    EXPECT_EQ(pointsOf("c@x.com"), 3);
    EXPECT_EQ(db->from("members").count(), 4);
    // by column name too; a payload row's unset note overwrites (the payload is the whole row, as Lucid's merge)
    Member::updateOrCreateMany("email", {Member{.email = "b@x.com", .points = 20}});
    EXPECT_EQ(pointsOf("b@x.com"), 20);
}

TEST_P(ModelManyTest, FetchOrCreateManyLeavesExistingRowsAlone) {
    std::vector<Member> out = Member::fetchOrCreateMany("email", {Member{.email = "a@x.com", .points = 99}, Member{.email = "e@x.com", .points = 5}});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].points, 1);  // as stored, the payload ignored
    EXPECT_EQ(out[0].note, "kept");
    EXPECT_EQ(pointsOf("a@x.com"), 1);
    EXPECT_EQ(out[1].id, idOf("e@x.com"));
    EXPECT_EQ(pointsOf("e@x.com"), 5);
    std::vector<Member> again = Member::fetchOrCreateMany(&Member::email, {Member{.email = "e@x.com", .points = 6}});
    EXPECT_EQ(again[0].id, out[1].id);
    EXPECT_EQ(db->from("members").count(), 3);
}

// Lucid: payload rows equal on the key share the row found (merged in payload order); each missing one is created.
TEST_P(ModelManyTest, DuplicatePayloadRowsShareTheFetchedRow) {
    std::vector<Member> out = Member::updateOrCreateMany(&Member::email, {Member{.email = "a@x.com", .points = 5}, Member{.email = "a@x.com", .points = 6}});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].id, out[1].id);
    EXPECT_EQ(out[1].points, 6);
    EXPECT_EQ(pointsOf("a@x.com"), 6);
    // two new rows with one key: both inserted, so a unique column refuses them and nothing is kept
    EXPECT_THROW(Member::fetchOrCreateMany(&Member::email, {Member{.email = "z@x.com"}, Member{.email = "z@x.com"}}), QueryError);
    EXPECT_EQ(pointsOf("z@x.com"), -1);
}

// A fixed number of statements whatever the number of rows: one SELECT per 500 keys, one multi-row INSERT.
TEST_P(ModelManyTest, StatementsDoNotGrowWithTheRows) {
    auto count = [&](auto run) {
        QueryCounter c(*db);
        run();
        return c.count;
    };
    const int small = count([] { Member::fetchOrCreateMany(&Member::email, payload(0, 10, 1)); });
    const int large = count([] { Member::fetchOrCreateMany(&Member::email, payload(10, 410, 1)); });
    EXPECT_EQ(small, large);
    EXPECT_EQ(db->from("members").count(), 412);
    // the same rows again, unchanged, plus new ones: no UPDATE, still the same count
    const int mixed = count([] { Member::updateOrCreateMany(&Member::email, payload(0, 420, 1)); });
    EXPECT_EQ(mixed, small);
    EXPECT_EQ(db->from("members").count(), 422);
    // more keys than one SELECT takes: one more SELECT per 500
    const int batched = count([] { Member::fetchOrCreateMany(&Member::email, payload(0, 1200, 1)); });
    EXPECT_EQ(batched, small + 2);
    EXPECT_EQ(db->from("members").count(), 1202);
    // changed rows: one UPDATE each
    const int updates = count([] { Member::updateOrCreateMany(&Member::email, payload(0, 3, 7)); });
    EXPECT_EQ(pointsOf("m2@x.com"), 7);
    EXPECT_EQ(pointsOf("m3@x.com"), 1);
    EXPECT_GT(updates, 0);
}

TEST_P(ModelManyTest, HooksRunAsForSave) {
    std::vector<HookedMember> out =
        HookedMember::updateOrCreateMany(&HookedMember::email, {HookedMember{.email = "a@x.com", .points = 8}, HookedMember{.email = "f@x.com"},
                                                                 HookedMember{.email = "g@x.com"}});
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].note, "updated");
    EXPECT_EQ(out[1].note, "created");
    EXPECT_EQ(db->rawQuery("select note from members where email = 'a@x.com'")[0].get<std::string>("note"), "updated");
    EXPECT_EQ(db->rawQuery("select note from members where email = 'g@x.com'")[0].get<std::string>("note"), "created");
    EXPECT_EQ(out[2].id, idOf("g@x.com"));
}

TEST_P(ModelManyTest, TruncateEmptiesTheTableAndRestartsIds) {
    Member::truncate();
    EXPECT_EQ(db->rawQuery("select count(*) as n from members")[0].get<int64_t>("n"), 0);
    EXPECT_EQ(Member::create({.email = "new@x.com"}).id, 1);
    db->transaction([](Transaction& trx) { Member::truncate(/*cascade=*/true, trx); });
    EXPECT_EQ(db->rawQuery("select count(*) as n from members")[0].get<int64_t>("n"), 0);
}

LUCID_DB_TEST_SUITE(ModelManyTest);
