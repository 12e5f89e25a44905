#include "support/db_test.hpp"

#include <atomic>
#include <functional>
#include <thread>

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace app {
struct User : BaseModel<User> {
    int64_t id = 0;
    std::string email;
    int32_t points = 0;
    std::optional<std::string> name;
    bool isActive = false;
    DateTime createdAt{};
    DateTime updatedAt{};
    std::string secret;

    static void define(ModelDefinition<User>& m) {
        m.column(&User::id, "id", {.isPrimary = true});
        m.column(&User::email, "email");
        m.column(&User::points, "points");
        m.column(&User::name, "name", {.serializeAs = "fullName"});
        m.column(&User::isActive, "isActive");
        m.column(&User::createdAt, "createdAt", {.autoCreate = true});
        m.column(&User::updatedAt, "updatedAt", {.autoCreate = true, .autoUpdate = true});
        m.column(&User::secret, "secret", {.hidden = true});
    }
};
// One column of each kind the originals store, for values of every width.
struct Sample : BaseModel<Sample> {
    int64_t id = 0;
    int64_t amount = 0;
    double ratio = 0;
    std::optional<std::string> label;
    Blob data;
    bool flag = false;

    static void define(ModelDefinition<Sample>& m) {
        m.column(&Sample::id, "id", {.isPrimary = true});
        m.column(&Sample::amount, "amount");
        m.column(&Sample::ratio, "ratio");
        m.column(&Sample::label, "label");
        m.column(&Sample::data, "data");
        m.column(&Sample::flag, "flag");
    }
};
}  // namespace app
using app::Sample;
using app::User;

class ModelTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"users"});
        db->schema().createTable("users", [](TableBuilder& t) {
            t.increments("id");
            t.string("email").notNullable().unique();
            t.integer("points").notNullable().defaultTo(0);
            t.string("name").nullable();
            t.boolean("is_active").defaultTo(false);
            t.string("secret").nullable();
            t.timestamps();
        });
    }
};

TEST_P(ModelTest, NamingFollowsLucid) {
    const auto& m = User::meta();
    EXPECT_EQ(m.name, "User");
    EXPECT_EQ(m.table, "users");
    EXPECT_EQ(m.column("isActive").column, "is_active");
    EXPECT_EQ(m.column("name").serializeAs, "fullName");
}

TEST_P(ModelTest, CreateFindAndDirtyTracking) {
    User u = User::create({.email = "a@x.com", .points = 3});
    EXPECT_TRUE(u.isPersisted());
    EXPECT_GT(u.id, 0);
    EXPECT_FALSE(u.isDirty());
    EXPECT_NE(u.createdAt, DateTime{});

    auto found = User::find(u.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->email, "a@x.com");
    EXPECT_EQ(found->points, 3);
    EXPECT_EQ(found->createdAt, u.createdAt);  // microseconds survive the round trip
    EXPECT_FALSE(found->isDirty());

    found->points = 10;
    EXPECT_TRUE(found->isDirty());
    auto dirty = found->dirty();
    ASSERT_EQ(dirty.size(), 1u);
    EXPECT_EQ(dirty[0].first, "points");
    QueryCounter counter(*db);
    found->save();
    EXPECT_EQ(counter.count, 1);
    EXPECT_NE(counter.sqls[0].find("\"points\""), std::string::npos);
    EXPECT_EQ(counter.sqls[0].find("\"email\""), std::string::npos);  // only the dirty columns (and updated_at)
    found->save();
    EXPECT_EQ(counter.count, 1);  // nothing dirty: no query
    EXPECT_EQ(User::findOrFail(u.id).points, 10);
    EXPECT_THROW(User::findOrFail(99999), RowNotFound);
}

TEST_P(ModelTest, StaticFinders) {
    auto us = User::createMany({{.email = "a"}, {.email = "b"}, {.email = "c"}});
    ASSERT_EQ(us.size(), 3u);
    EXPECT_EQ(User::findBy(&User::email, "b")->id, us[1].id);
    EXPECT_EQ(User::findBy("email", "c")->id, us[2].id);
    EXPECT_EQ(User::findByOrFail(&User::email, "a").id, us[0].id);
    EXPECT_THROW(User::findByOrFail(&User::email, "zz"), RowNotFound);
    auto many = User::findMany({us[0].id, us[2].id});
    ASSERT_EQ(many.size(), 2u);
    auto all = User::all();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, us[2].id);  // newest first, as Lucid
    EXPECT_TRUE(User::first());
    EXPECT_NO_THROW(User::firstOrFail());
}

TEST_P(ModelTest, FirstOrNewFirstOrCreateUpdateOrCreate) {
    User n = User::firstOrNew({{"email", "new@x"}}, {{"points", 1}});
    EXPECT_FALSE(n.isPersisted());
    EXPECT_EQ(n.points, 1);
    User c = User::firstOrCreate({{"email", "new@x"}}, {{"points", 1}});
    EXPECT_TRUE(c.isPersisted());
    User again = User::firstOrCreate({{"email", "new@x"}}, {{"points", 5}});
    EXPECT_EQ(again.id, c.id);
    EXPECT_EQ(again.points, 1);
    User up = User::updateOrCreate({{"email", "new@x"}}, {{"points", 2}});
    EXPECT_EQ(up.id, c.id);
    EXPECT_EQ(User::findOrFail(c.id).points, 2);
    User made = User::updateOrCreate({{"email", "other@x"}}, {{"points", 9}});
    EXPECT_EQ(User::findOrFail(made.id).points, 9);
    EXPECT_EQ(User::query().count(), 2);
}

TEST_P(ModelTest, RemoveRefreshMergeFill) {
    User u = User::create({.email = "a"});
    db->from("users").where("id", u.id).update({{"points", 42}});
    u.refresh();
    EXPECT_EQ(u.points, 42);
    u.merge({{"email", "b"}, {"name", "Bee"}});
    EXPECT_EQ(u.email, "b");
    EXPECT_EQ(u.name, "Bee");
    EXPECT_THROW(u.merge({{"nope", 1}}), Error);
    EXPECT_THROW(u.merge({{"points", "text"}}), TypeError);
    // a JSON number an integer field cannot hold is refused, never narrowed (found by the fuzzer)
    EXPECT_THROW(u.merge(nlohmann::json{{"points", 1.5}}), TypeError);
    EXPECT_THROW(u.merge(nlohmann::json{{"points", 1e30}}), TypeError);
    EXPECT_THROW(u.merge(nlohmann::json{{"points", 4294967296LL}}), TypeError);
    EXPECT_THROW(u.merge(nlohmann::json{{"points", 18446744073709551615ULL}}), TypeError);
    u.merge(nlohmann::json{{"points", 8.0}});
    EXPECT_EQ(u.points, 8);
    u.fill({{"email", "c"}});
    EXPECT_EQ(u.points, 0);
    EXPECT_EQ(u.name, std::nullopt);
    u.merge(nlohmann::json{{"fullName", "From JSON"}, {"points", 7}});
    EXPECT_EQ(u.name, "From JSON");
    EXPECT_EQ(u.points, 7);
    u.remove();
    EXPECT_TRUE(u.isDeleted());
    EXPECT_THROW(u.save(), Error);
    EXPECT_FALSE(User::find(u.id));
}

TEST_P(ModelTest, SerializeUsesSerializedNamesAndHidesHidden) {
    User u = User::create({.email = "a", .name = "Ann", .secret = "s3"});
    auto j = u.serialize();
    EXPECT_EQ(j["email"], "a");
    EXPECT_EQ(j["fullName"], "Ann");
    EXPECT_FALSE(j.contains("secret"));
    EXPECT_FALSE(j.contains("name"));
    EXPECT_EQ(j["createdAt"].get<std::string>().size(), 27u);  // 2024-03-05T12:34:56.123456Z
    EXPECT_EQ(u.toJSON(), j);
}

TEST_P(ModelTest, TypeErrorsNameTheProperty) {
    User::create({.email = "x", .points = 5});
    db->schema().alterTable("users", [](TableBuilder& t) { t.string("extra_col").nullable(); });
    try {
        // a text value where an int32 is expected
        User::query().selectRaw("id, email, 'abc' as points").first();
        FAIL();
    } catch (const TypeError& e) {
        EXPECT_NE(std::string(e.what()).find("User.points"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("'abc'"), std::string::npos) << e.what();
    }
    auto u = User::query().selectRaw("*, 1 + 1 as two").firstOrFail();
    bool found = false;
    for (const auto& [k, v] : u.extras())
        if (k == "two") found = v.as<int64_t>() == 2;
    EXPECT_TRUE(found);
}

TEST_P(ModelTest, ModelQueryBuilder) {
    User::createMany({{.email = "a", .points = 1, .isActive = true}, {.email = "b", .points = 2}, {.email = "c", .points = 3, .isActive = true}});
    EXPECT_EQ(User::query().where(&User::isActive, true).count(), 2);
    EXPECT_EQ(User::query().where(&User::points, ">", 1).count(), 2);
    EXPECT_EQ(User::query().where("isActive", true).count(), 2);
    EXPECT_EQ(User::query().where("is_active", true).count(), 2);
    EXPECT_THROW(User::query().where("bogus", 1), Error);
    auto rows = User::query().where([](ModelQuery<User>& q) { q.where(&User::email, "a").orWhere(&User::email, "c"); })
                    .orderBy(&User::points, Desc).all();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].email, "c");
    EXPECT_EQ(User::query().sum(&User::points).as<int64_t>(), 6);
    EXPECT_EQ(User::query().where(&User::isActive, false).update({{"points", 20}}), 1);
    EXPECT_EQ(User::query().increment(&User::points, 1), 3);
    EXPECT_EQ(User::findByOrFail(&User::email, "b").points, 21);
    auto page = User::query().orderBy(&User::id).paginate(2, 2);
    EXPECT_EQ(page.total(), 3);
    EXPECT_EQ(page.items().size(), 1u);
    auto active = [](ModelQuery<User>& q) { q.where(&User::isActive, true); };
    EXPECT_EQ(User::query().apply(active).count(), 2);
    auto sel = User::query().select(&User::id, &User::email).orderBy("id").first();
    EXPECT_EQ(sel->email, "a");
    auto [sql, b] = User::query().where(&User::id, 1).toSQL();
    EXPECT_NE(sql.find("\"users\""), std::string::npos);
    EXPECT_EQ(User::query().where(&User::email, "a").del(), 1);
}

TEST_P(ModelTest, TransactionsWithModels) {
    EXPECT_THROW(db->transaction([](Transaction& trx) {
        User::create({.email = "in-trx"}, trx);
        EXPECT_EQ(User::query(trx).count(), 1);
        throw std::runtime_error("abort");
    }), std::runtime_error);
    EXPECT_EQ(User::query().count(), 0);
    EXPECT_THROW(User::createMany({{.email = "dup"}, {.email = "dup"}}), QueryError);
    EXPECT_EQ(User::query().count(), 0);  // createMany is one transaction
    Transaction trx = db->transaction();
    User u;
    u.email = "manual";
    u.useTransaction(trx);
    u.save();
    trx.commit();
    u.points = 3;
    u.save();  // its transaction ended: back on the connection
    EXPECT_EQ(User::findOrFail(u.id).points, 3);
}

TEST_P(ModelTest, CreateManyIsOneMultiRowInsertWithEveryKeyInPlace) {
    std::vector<User> rows;
    for (int i = 0; i < 250; ++i) rows.push_back(User{.email = "u" + std::to_string(i) + "@x"});
    QueryCounter counter(*db);
    auto created = User::createMany(rows);
    EXPECT_EQ(counter.count, 3);  // begin, one INSERT ... RETURNING, commit
    ASSERT_EQ(created.size(), 250u);
    for (const auto& u : created) {
        EXPECT_TRUE(u.isPersisted());
        EXPECT_FALSE(u.isDirty());
        EXPECT_EQ(User::findOrFail(u.id).email, u.email);  // each key belongs to its own row
    }
    // a failure anywhere leaves no row, and the instances as they were
    std::vector<User> clash{User{.email = "fresh@x"}, User{.email = "u7@x"}};
    EXPECT_THROW(User::createMany(clash), QueryError);
    EXPECT_EQ(User::query().where(&User::email, "fresh@x").count(), 0);
    EXPECT_EQ(clash[0].id, 0);
    EXPECT_FALSE(clash[0].isPersisted());
    // given keys are written as they are
    auto withKeys = User::createMany({User{.id = 5000, .email = "k1"}, User{.id = 5001, .email = "k2"}});
    EXPECT_EQ(User::findOrFail(5001).email, "k2");
}

// Fetched rows share blocks of originals; each instance, and each copy, still tracks its own changes.
TEST_P(ModelTest, CopiesOfFetchedRowsTrackChangesApart) {
    std::vector<User> rows;
    for (int i = 0; i < 400; ++i) rows.push_back(User{.email = "user" + std::to_string(i) + "@example.com", .points = i});
    User::createMany(rows);
    User kept;
    {
        std::vector<User> all = User::query().orderBy(&User::id).all();
        ASSERT_EQ(all.size(), 400u);
        kept = all[250];  // outlives the rest of the fetch
        all[250].points = -1;
        EXPECT_TRUE(all[250].isDirty());
    }
    EXPECT_FALSE(kept.isDirty());
    User twin = kept;
    twin.name = "Twin";
    EXPECT_TRUE(twin.isDirty());
    EXPECT_FALSE(kept.isDirty());
    auto original = twin.original();
    auto email = std::find_if(original.begin(), original.end(), [](const auto& p) { return p.first == "email"; });
    ASSERT_NE(email, original.end());
    EXPECT_EQ(email->second.as<std::string>(), "user250@example.com");
    twin.save();
    EXPECT_FALSE(twin.isDirty());
    EXPECT_EQ(User::findOrFail(kept.id).name, "Twin");
    kept.name = "Kept";  // its originals still say null: it is dirty, and saves
    EXPECT_TRUE(kept.isDirty());
    kept.save();
    EXPECT_EQ(User::findOrFail(kept.id).name, "Kept");
}

// Each set of dirty columns has its own UPDATE (compiled once and reused): the right columns are written.
TEST_P(ModelTest, EachSetOfDirtyColumnsWritesItsOwnColumns) {
    User a = User::create({.email = "a", .points = 1});
    User b = User::create({.email = "b", .points = 2});
    QueryCounter counter(*db);
    a.points = 10;
    a.save();
    b.email = "b2";
    b.save();
    a.email = "a2";
    a.points = 11;
    a.save();
    b.points = 20;
    b.save();
    ASSERT_EQ(counter.count, 4);
    EXPECT_EQ(counter.sqls[0].find("\"email\""), std::string::npos);
    EXPECT_EQ(counter.sqls[1].find("\"points\""), std::string::npos);
    EXPECT_NE(counter.sqls[2].find("\"email\""), std::string::npos);
    EXPECT_NE(counter.sqls[2].find("\"points\""), std::string::npos);
    EXPECT_EQ(counter.sqls[3], counter.sqls[0]);  // the same shape, the same statement
    User a2 = User::findOrFail(a.id), b2 = User::findOrFail(b.id);
    EXPECT_EQ(a2.email, "a2");
    EXPECT_EQ(a2.points, 11);
    EXPECT_EQ(b2.email, "b2");
    EXPECT_EQ(b2.points, 20);
}

// A query run again after the table gained a column sees that column (statements are cached per connection).
TEST_P(ModelTest, ARepeatedQuerySeesAColumnAddedMeanwhile) {
    User::create({.email = "a"});
    EXPECT_TRUE(User::query().selectRaw("*").firstOrFail().extras().empty());
    db->schema().alterTable("users", [](TableBuilder& t) { t.string("nickname").nullable().defaultTo("nick"); });
    User u = User::query().selectRaw("*").firstOrFail();
    ASSERT_EQ(u.extras().size(), 1u);
    EXPECT_EQ(u.extras()[0].first, "nickname");
    EXPECT_EQ(u.extra("nickname").as<std::string>(), "nick");
}

// Originals keep each value exactly, whatever its size: integers at the edges of every width, long text
// and blobs, null, booleans; a fetched row is clean, and a change to one column dirties that column only.
void createSamples(Database& db) {
    db.schema().dropTableIfExists("samples");
    db.schema().createTable("samples", [](TableBuilder& t) {
        t.increments("id");
        t.bigInteger("amount").notNullable();
        t.double_("ratio").notNullable();
        t.text("label").nullable();
        t.binary("data").notNullable();
        t.boolean("flag").notNullable();
    });
}

TEST_P(ModelTest, OriginalsKeepValuesOfEverySize) {
    createSamples(*db);
    const std::vector<int64_t> amounts{0, 1, -1, 127, -128, 128, -129, 32767, -32768, 32768, -32769, 2147483647,
                                       -2147483648LL, 2147483648LL, -2147483649LL, INT64_MAX, INT64_MIN};
    const std::string longLabel(300, 'x');  // past a one-byte length
    Blob bytes;
    for (int i = 0; i < 70000; ++i) bytes.push_back(static_cast<std::byte>(i % 251));  // past 64 KB
    for (std::size_t i = 0; i < amounts.size(); ++i) {
        std::optional<std::string> label;
        if (i % 3 == 1) label = longLabel + std::to_string(i);
        else if (i % 3 == 2) label = "";
        Sample::create({.amount = amounts[i], .ratio = 0.5 * static_cast<double>(i) - 3.25, .label = label,
                        .data = i == 3 ? bytes : Blob{std::byte{static_cast<unsigned char>(i)}}, .flag = i % 2 == 0});
    }
    std::vector<Sample> rows = Sample::query().orderBy(&Sample::id).all();
    ASSERT_EQ(rows.size(), amounts.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        Sample& r = rows[i];
        SCOPED_TRACE("row " + std::to_string(i));
        EXPECT_EQ(r.amount, amounts[i]);
        EXPECT_FALSE(r.isDirty());
        Attributes original = r.original();
        ASSERT_EQ(original.size(), 6u);
        EXPECT_EQ(original[1].second.as<int64_t>(), amounts[i]);
        EXPECT_DOUBLE_EQ(original[2].second.as<double>(), 0.5 * static_cast<double>(i) - 3.25);
        if (i % 3 == 0) EXPECT_TRUE(original[3].second.isNull());
        else EXPECT_EQ(original[3].second.as<std::string>(), i % 3 == 1 ? longLabel + std::to_string(i) : "");
        EXPECT_EQ(original[4].second.as<Blob>(), i == 3 ? bytes : Blob{std::byte{static_cast<unsigned char>(i)}});
        EXPECT_EQ(original[5].second.as<bool>(), i % 2 == 0);
        r.flag = !r.flag;
        Attributes dirty = r.dirty();
        ASSERT_EQ(dirty.size(), 1u);
        EXPECT_EQ(dirty[0].first, "flag");
        r.amount = amounts[(i + 1) % amounts.size()];
        r.save();
        EXPECT_FALSE(r.isDirty());
        Sample again = Sample::findOrFail(r.id);
        EXPECT_EQ(again.amount, amounts[(i + 1) % amounts.size()]);
        EXPECT_EQ(again.flag, i % 2 != 0);
        EXPECT_EQ(again.label, r.label);
    }
}

// Rows of over 64 KB, fetched with a column selected twice: each row keeps its own originals, whichever
// rows of the fetch are dropped first.
TEST_P(ModelTest, LargeRowsSelectedWithADuplicateColumnKeepTheirOriginals) {
    createSamples(*db);
    // the first row over 64 KB, the next ones small: they would be carved from the rest of its chunk
    for (int i = 0; i < 4; ++i)
        Sample::create({.amount = i, .label = std::string(i == 0 ? 70000 : 1000, static_cast<char>('a' + i)), .data = Blob{std::byte{1}}});
    std::vector<Sample> rows = Sample::query().selectRaw("*, label").orderBy(&Sample::id).all();
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_FALSE(rows[1].isDirty());
    EXPECT_EQ(rows[1].original()[3].second.as<std::string>(), std::string(1000, 'b'));
    while (rows.size() > 1) {
        rows.pop_back();
        EXPECT_FALSE(rows[0].isDirty());
    }
    Attributes original = rows[0].original();
    EXPECT_EQ(original[3].second.as<std::string>(), std::string(70000, 'a'));
    rows[0].label = "short";
    rows[0].save();
    EXPECT_EQ(Sample::findOrFail(rows[0].id).label, "short");
}

// find() and save() still work from a thread's last destructors, after the library's per-thread caches
// are gone (ASan would see a cache used after its destruction).
TEST_P(ModelTest, ModelsWorkInAThreadsLastDestructors) {
    const int64_t id = User::create({.email = "late@x.com", .points = 1}).id;
    std::atomic<int> points{0};
    std::thread([&] {
        struct AtExit {
            std::function<void()> run;
            ~AtExit() {
                if (run) run();
            }
        };
        thread_local AtExit last;  // constructed first on this thread: destroyed last
        last.run = [&] {
            std::optional<User> u = User::find(id);
            u->points = 9;
            u->save();
            u->points = 10;
            u->save();
            points = User::findOrFail(id).points;
        };
        User::findOrFail(id);  // the per-thread caches are made now, after `last`
    }).join();
    EXPECT_EQ(points.load(), 10);
    EXPECT_EQ(User::findOrFail(id).points, 10);
}

// Rows fetched in a transaction (and their copies) write in it while it is open, and through their
// connection once it has ended.
TEST_P(ModelTest, RowsFetchedInATransactionWriteInItUntilItEnds) {
    User::createMany({User{.email = "a", .points = 1}, User{.email = "b", .points = 2}});
    std::vector<User> rows;
    {
        Transaction trx = db->transaction();
        rows = User::query(trx).orderBy(&User::id).all();
        ASSERT_EQ(rows.size(), 2u);
        User copy = rows[1];
        rows[0].points = 10;
        rows[0].save();
        copy.points = 20;
        copy.save();
        EXPECT_EQ(User::query(trx).where(&User::points, ">=", 10).count(), 2);
        trx.rollback();
    }
    EXPECT_EQ(User::query().where(&User::points, ">=", 10).count(), 0);  // both saves were in the transaction
    rows[1].points = 30;  // the transaction ended: back on the connection
    rows[1].save();
    EXPECT_EQ(User::findOrFail(rows[1].id).points, 30);
}

LUCID_DB_TEST_SUITE(ModelTest);

// Lucid's $isLocal: true for an instance made in this process, also once saved; false for fetched ones.
TEST_P(ModelTest, IsLocalMeansMadeHereNotUnsaved) {
    User made;
    made.email = "made@x.com";
    EXPECT_TRUE(made.isLocal());
    made.save();
    EXPECT_TRUE(made.isPersisted());
    EXPECT_TRUE(made.isLocal());
    made.refresh();
    EXPECT_TRUE(made.isLocal());
    User created = User::create({.email = "created@x.com"});
    EXPECT_TRUE(created.isLocal());
    const DateTime now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    db->table("users").insert({{"email", "raw@x.com"}, {"points", 1}, {"is_active", false}, {"secret", ""},
                               {"created_at", now}, {"updated_at", now}});
    auto fetched = User::findBy(&User::email, "raw@x.com");
    ASSERT_TRUE(fetched);
    EXPECT_FALSE(fetched->isLocal());
    fetched->points = 2;
    fetched->save();
    EXPECT_FALSE(fetched->isLocal());
    User copy = *fetched;
    EXPECT_FALSE(copy.isLocal());
    User moved = std::move(copy);
    EXPECT_FALSE(moved.isLocal());
    for (const User& u : User::query().all()) EXPECT_FALSE(u.isLocal()) << u.email;
    EXPECT_FALSE(User::findOrFail(made.id).isLocal());
}

// isLocal() after each static read and create-or-fetch call (API.md §13): fetched rows are not local.
TEST_P(ModelTest, IsLocalAfterEveryStaticCall) {
    User made = User::create({.email = "x"});
    EXPECT_FALSE(User::findOrFail(made.id).isLocal());
    EXPECT_FALSE(User::find(made.id)->isLocal());
    EXPECT_FALSE(User::findByOrFail(&User::email, "x").isLocal());
    EXPECT_FALSE(User::firstOrFail().isLocal());
    for (const User& u : User::all()) EXPECT_FALSE(u.isLocal());
    EXPECT_TRUE(User::firstOrCreate({{"email", "b"}}, {{"points", 1}}).isLocal());   // created
    EXPECT_FALSE(User::firstOrCreate({{"email", "b"}}, {{"points", 1}}).isLocal());  // found
    EXPECT_TRUE(User::updateOrCreate({{"email", "c"}}, {{"points", 2}}).isLocal());
    EXPECT_FALSE(User::updateOrCreate({{"email", "c"}}, {{"points", 3}}).isLocal());
    EXPECT_TRUE(User::firstOrNew({{"email", "d"}}).isLocal());
    EXPECT_FALSE(User::firstOrNew({{"email", "c"}}).isLocal());
    for (const User& u : User::createMany({{.email = "e"}, {.email = "f"}})) EXPECT_TRUE(u.isLocal());
}

// A blob from JSON: text, or an array of bytes; anything else is a TypeError (found by the fuzzer).
TEST_P(ModelTest, BlobsFromJsonTakeBytesOnly) {
    Sample s;
    s.merge(nlohmann::json{{"data", {0, 255, 7}}});
    EXPECT_EQ(s.data, (Blob{std::byte{0}, std::byte{255}, std::byte{7}}));
    s.merge(nlohmann::json{{"data", "ab"}});
    EXPECT_EQ(s.data, (Blob{std::byte{'a'}, std::byte{'b'}}));
    EXPECT_THROW(s.merge(nlohmann::json{{"data", {1, 300}}}), TypeError);
    EXPECT_THROW(s.merge(nlohmann::json{{"data", {1, -1}}}), TypeError);
    EXPECT_THROW(s.merge(nlohmann::json{{"data", {1.5}}}), TypeError);
    EXPECT_THROW(s.merge(nlohmann::json{{"data", {{"a", 1}}}}), TypeError);
    EXPECT_THROW(s.merge(nlohmann::json{{"data", 1e300}}), TypeError);
}
