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
        m.afterSave([](HookedMember& h) {
            ++afterSaves;
            if (h.email == failOn) throw std::runtime_error("after save refused " + h.email);
        });
    }
    static inline int afterSaves = 0;
    static inline std::string failOn;
};

// A team has many members (matched by their email): the relation's fetch/updateOrCreateMany.
struct Team : BaseModel<Team> {
    int64_t id = 0;
    std::string name;
    HasMany<struct TeamMember> members;
    static void define(ModelDefinition<Team>& m);
};
struct TeamMember : BaseModel<TeamMember> {
    int64_t id = 0;
    std::string email;
    int64_t points = 0;
    std::optional<int64_t> teamId;
    static void define(ModelDefinition<TeamMember>& m) {
        m.table("members");
        m.column(&TeamMember::id, "id", {.isPrimary = true});
        m.column(&TeamMember::email, "email");
        m.column(&TeamMember::points, "points");
        m.column(&TeamMember::teamId, "teamId");
    }
};
void Team::define(ModelDefinition<Team>& m) {
    m.column(&Team::id, "id", {.isPrimary = true});
    m.column(&Team::name, "name");
    m.hasMany(&Team::members, "members");
}

}  // namespace

class ModelManyTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"members", "teams"});
        db->schema().createTable("teams", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        db->schema().createTable("members", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.string("note").nullable();
            t.integer("team_id").nullable();
        });
        HookedMember::afterSaves = 0;
        HookedMember::failOn.clear();
        db->table("members").insertMany({{{"email", "a@x.com"}, {"points", 1}, {"note", "kept"}}, {{"email", "b@x.com"}, {"points", 2}, {"note", nullptr}}});
    }
    int64_t pointsOf(const std::string& email) {
        Result r = db->rawQuery("select points from members where email = ?", {email});
        return r.empty() ? -1 : r[0].get<int64_t>("points");
    }
    int64_t idOf(const std::string& email) { return db->rawQuery("select id from members where email = ?", {email})[0].get<int64_t>("id"); }
    template <class Run> int statementsOf(Run run) {
        QueryCounter c(*db);
        run();
        return c.count;
    }
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
    const int small = statementsOf([] { Member::fetchOrCreateMany(&Member::email, payload(0, 10, 1)); });
    const int large = statementsOf([] { Member::fetchOrCreateMany(&Member::email, payload(10, 410, 1)); });
    EXPECT_EQ(small, large);
    EXPECT_EQ(db->from("members").count(), 412);
    // the same rows again, unchanged, plus new ones: no UPDATE, still the same count
    const int mixed = statementsOf([] { Member::updateOrCreateMany(&Member::email, payload(0, 420, 1)); });
    EXPECT_EQ(mixed, small);
    EXPECT_EQ(db->from("members").count(), 422);
    // more keys than one SELECT takes: one more SELECT per 500
    const int batched = statementsOf([] { Member::fetchOrCreateMany(&Member::email, payload(0, 1200, 1)); });
    EXPECT_EQ(batched, small + 2);
    EXPECT_EQ(db->from("members").count(), 1202);
    // changed rows: one UPDATE for 3 rows as for 400, each row its own values
    const int fewUpdates = statementsOf([] { Member::updateOrCreateMany(&Member::email, payload(0, 3, 7)); });
    EXPECT_EQ(pointsOf("m2@x.com"), 7);
    EXPECT_EQ(pointsOf("m3@x.com"), 1);
    std::vector<Member> many = payload(0, 400, 0);
    for (std::size_t i = 0; i < many.size(); ++i) {
        many[i].points = static_cast<int64_t>(i) * 3;
        if (i % 2) many[i].note = "odd " + std::to_string(i);  // a column only some rows change
    }
    const int manyUpdates = statementsOf([&] { Member::updateOrCreateMany(&Member::email, many); });
    EXPECT_EQ(manyUpdates, fewUpdates);
    Result rows = db->rawQuery("select email, points, note from members where email like 'm%' order by id");
    ASSERT_EQ(rows.size(), 1200u);
    for (std::size_t i = 0; i < 400; ++i) {
        EXPECT_EQ(rows[i].get<int64_t>("points"), static_cast<int64_t>(i) * 3) << i;
        if (i % 2) EXPECT_EQ(rows[i].get<std::string>("note"), "odd " + std::to_string(i));
        else EXPECT_EQ(rows[i].get<std::optional<std::string>>("note"), std::nullopt) << i;
    }
    for (std::size_t i = 400; i < rows.size(); ++i) EXPECT_EQ(rows[i].get<int64_t>("points"), 1) << i;
    // over one statement's 500 rows: one more UPDATE
    std::vector<Member> more = payload(0, 700, 5);
    const int moreUpdates = statementsOf([&] { Member::updateOrCreateMany(&Member::email, more); });
    EXPECT_EQ(moreUpdates, fewUpdates + 2);  // and one more SELECT
    EXPECT_EQ(db->rawQuery("select count(*) as n from members where points = 5")[0].get<int64_t>("n"), 700);
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

// With hooks too, the statements stay constant: every row's before-hooks, one INSERT and one UPDATE,
// then every row's after-hooks.
TEST_P(ModelManyTest, HookedRowsAreStillWrittenInBatches) {
    auto hooked = [](int from, int to) {
        std::vector<HookedMember> rows;
        for (int i = from; i < to; ++i) rows.push_back(HookedMember{.email = "h" + std::to_string(i) + "@x.com", .points = i});
        return rows;
    };
    HookedMember::updateOrCreateMany(&HookedMember::email, hooked(0, 4));
    EXPECT_EQ(HookedMember::afterSaves, 4);
    auto changed = [&](int from, int to) {
        std::vector<HookedMember> rows = hooked(from, to);
        for (auto& r : rows) r.points += 1000;
        return rows;
    };
    const int few = statementsOf([&] { HookedMember::updateOrCreateMany(&HookedMember::email, changed(2, 6)); });     // 2 updated, 2 created
    const int many = statementsOf([&] { HookedMember::updateOrCreateMany(&HookedMember::email, changed(0, 300)); });  // 4 updated, 294 created
    EXPECT_EQ(many, few);
    EXPECT_EQ(HookedMember::afterSaves, 4 + 4 + 298);  // rows 2 and 3 were already as asked: no UPDATE, no after-hook, as save()
    EXPECT_EQ(db->rawQuery("select count(*) as n from members where note = 'created' and points >= 1000")[0].get<int64_t>("n"), 294);
    EXPECT_EQ(db->rawQuery("select count(*) as n from members where note = 'updated' and points >= 1000")[0].get<int64_t>("n"), 6);
}

// An after-hook that throws on one row leaves the table and the returned-to-nobody rows as they were.
TEST_P(ModelManyTest, AThrowingAfterHookWritesNothing) {
    HookedMember::updateOrCreateMany(&HookedMember::email, {HookedMember{.email = "p@x.com", .points = 1}, HookedMember{.email = "q@x.com", .points = 1}});
    HookedMember::failOn = "q@x.com";
    EXPECT_THROW(HookedMember::updateOrCreateMany(&HookedMember::email, {HookedMember{.email = "p@x.com", .points = 2}, HookedMember{.email = "q@x.com", .points = 2},
                                                                          HookedMember{.email = "r@x.com", .points = 2}}),
                 std::runtime_error);
    EXPECT_EQ(pointsOf("p@x.com"), 1);
    EXPECT_EQ(pointsOf("q@x.com"), 1);
    EXPECT_EQ(pointsOf("r@x.com"), -1);
    // createMany the same: the INSERT is undone with the hook
    HookedMember::failOn = "t@x.com";
    EXPECT_THROW(HookedMember::createMany({{.email = "s@x.com"}, {.email = "t@x.com"}}), std::runtime_error);
    EXPECT_EQ(pointsOf("s@x.com"), -1);
}

// The relation's versions match among the parent's rows only, and batch their writes the same way.
TEST_P(ModelManyTest, RelatedUpdateOrCreateManyBatchesItsWrites) {
    Team team = Team::create({.name = "red"});
    Team other = Team::create({.name = "blue"});
    other.related(&Team::members).createMany({{.email = "o1@x.com", .points = 1}, {.email = "o2@x.com", .points = 1}});
    auto payload = [](int from, int to, int64_t points) {
        std::vector<TeamMember> rows;
        for (int i = from; i < to; ++i) rows.push_back(TeamMember{.email = "t" + std::to_string(i) + "@x.com", .points = points});
        return rows;
    };
    team.related(&Team::members).createMany(payload(0, 2, 1));
    const int few = statementsOf([&] { team.related(&Team::members).updateOrCreateMany(payload(0, 4, 2), {"email"}); });    // 2 updated, 2 new
    const int many = statementsOf([&] { team.related(&Team::members).updateOrCreateMany(payload(0, 300, 3), {"email"}); });  // 4 updated, 296 new
    EXPECT_EQ(many, few);
    std::vector<TeamMember> again = team.related(&Team::members).updateOrCreateMany(payload(0, 300, 4), {"email"});
    ASSERT_EQ(again.size(), 300u);
    for (const TeamMember& m : again) EXPECT_TRUE(m.isPersisted() && !m.isDirty() && m.points == 4 && m.teamId == team.id) << m.email;
    EXPECT_EQ(db->rawQuery("select count(*) as n from members where team_id = ? and points = 4", {team.id})[0].get<int64_t>("n"), 300);
    EXPECT_EQ(db->rawQuery("select count(*) as n from members where team_id = ? and points = 1", {other.id})[0].get<int64_t>("n"), 2);
}

TEST_P(ModelManyTest, TruncateEmptiesTheTableAndRestartsIds) {
    Member::truncate();
    EXPECT_EQ(db->rawQuery("select count(*) as n from members")[0].get<int64_t>("n"), 0);
    EXPECT_EQ(Member::create({.email = "new@x.com"}).id, 1);
    db->transaction([](Transaction& trx) { Member::truncate(/*cascade=*/true, trx); });
    EXPECT_EQ(db->rawQuery("select count(*) as n from members")[0].get<int64_t>("n"), 0);
}

LUCID_DB_TEST_SUITE(ModelManyTest);
