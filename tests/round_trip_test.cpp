// Values written by others — the database's own functions, raw SQL text as another program would
// write it — read and compared through models, and values lucid writes read back as they were.
#include "support/db_test.hpp"

#include <cmath>
#include <limits>

using namespace lucid;
using namespace std::chrono;
using lucid_test::DbTest;

namespace {

struct RtEvent : BaseModel<RtEvent> {
    int64_t id = 0;
    std::string name;
    DateTime happenedAt{};
    static void define(ModelDefinition<RtEvent>& m) {
        m.table("rt_events");
        m.column(&RtEvent::id, "id", {.isPrimary = true});
        m.column(&RtEvent::name, "name");
        m.column(&RtEvent::happenedAt, "happenedAt");
    }
};

DateTime at(year_month_day d, hours h = 0h, minutes m = 0min, seconds s = 0s) { return sys_days{d} + h + m + s; }

}  // namespace

class DateTimeComparisons : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        dropTables({"rt_events"});
        db->schema().createTable("rt_events", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
            t.timestamp("happened_at");
        });
    }
    // A row as another program writes it: the date in SQL text, or an expression of the database.
    void insertRaw(const std::string& name, const std::string& sqlExpression) {
        db->rawQuery("insert into rt_events (name, happened_at) values (?, " + sqlExpression + ")", {name});
    }
};

TEST_P(DateTimeComparisons, CountsRowsWrittenByTheDatabaseAndByRawSqlExactly) {
    if (isPostgres()) {
        insertRaw("new-year", "timestamp '2021-01-01 00:00:00' at time zone 'UTC'");
        insertRaw("noon", "timestamptz '2021-01-01 12:00:00+00'");
        insertRaw("next-day", "timestamptz '2021-01-02 09:30:15+00'");
        insertRaw("before", "timestamptz '2020-12-31 23:59:59+00'");
    } else {
        insertRaw("new-year", "datetime('2021-01-01 00:00:00')");
        insertRaw("noon", "datetime('2021-01-01', '+12 hours')");
        insertRaw("next-day", "'2021-01-02 09:30:15'");
        insertRaw("before", "datetime('2021-01-01', '-1 second')");
    }
    RtEvent::create({.name = "lucid", .happenedAt = at(2021y / 1 / 1, 12h)});

    const DateTime newYear = at(2021y / 1 / 1);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, newYear).count(), 1);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, at(2021y / 1 / 1, 12h)).count(), 2);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, ">=", newYear).count(), 4);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, ">", newYear).count(), 3);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, "<", newYear).count(), 1);
    EXPECT_EQ(RtEvent::query().whereBetween(&RtEvent::happenedAt, newYear, at(2021y / 1 / 2, 9h, 30min, 15s)).count(), 4);
    EXPECT_EQ(RtEvent::query().whereBetween(&RtEvent::happenedAt, newYear, at(2021y / 1 / 1, 23h, 59min, 59s)).count(), 3);
    EXPECT_EQ(RtEvent::findByOrFail(&RtEvent::name, "next-day").happenedAt, at(2021y / 1 / 2, 9h, 30min, 15s));
    EXPECT_EQ(RtEvent::findByOrFail(&RtEvent::name, "before").happenedAt, at(2020y / 12 / 31, 23h, 59min, 59s));
}

TEST_P(DateTimeComparisons, FindsTheCurrentTimestampOfTheDatabaseByEquality) {
    insertRaw("now", isPostgres() ? "date_trunc('second', now())" : "CURRENT_TIMESTAMP");
    RtEvent now = RtEvent::findByOrFail(&RtEvent::name, "now");
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, now.happenedAt).count(), 1);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, ">=", now.happenedAt).count(), 1);
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, ">", now.happenedAt).count(), 0);
    // a row lucid writes at the same second sorts with it
    RtEvent::create({.name = "copy", .happenedAt = now.happenedAt});
    EXPECT_EQ(RtEvent::query().where(&RtEvent::happenedAt, now.happenedAt).count(), 2);
}

TEST_P(DateTimeComparisons, WritesTheFormOtherProgramsWriteAndKeepsMicroseconds) {
    RtEvent::create({.name = "whole", .happenedAt = at(2021y / 1 / 1, 8h)});
    RtEvent::create({.name = "fraction", .happenedAt = at(2021y / 1 / 1, 8h) + 250us});
    const std::string cast = isPostgres() ? "to_char(happened_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')" : "happened_at";
    auto text = [&](const char* name) {
        return db->rawQuery("select " + cast + " as t from rt_events where name = ?", {name})[0].get<std::string>("t");
    };
    if (isPostgres()) {
        EXPECT_EQ(text("whole"), "2021-01-01 08:00:00.000000");
        EXPECT_EQ(text("fraction"), "2021-01-01 08:00:00.000250");
    } else {
        EXPECT_EQ(text("whole"), "2021-01-01 08:00:00");
        EXPECT_EQ(text("fraction"), "2021-01-01 08:00:00.000250");
    }
    EXPECT_EQ(RtEvent::findByOrFail(&RtEvent::name, "fraction").happenedAt, at(2021y / 1 / 1, 8h) + 250us);
    // text in the form lucid-cpp wrote before, and other ISO-8601 forms, are still read
    for (const char* old : {"2021-01-01T08:00:00.000000Z", "2021-01-01T10:00:00+02:00", "2021-01-01 08:00"})
        db->rawQuery("insert into rt_events (name, happened_at) values ('old', ?)", {old});
    for (const RtEvent& e : RtEvent::query().where(&RtEvent::name, "old").all()) EXPECT_EQ(e.happenedAt, at(2021y / 1 / 1, 8h));
}

LUCID_DB_TEST_SUITE(DateTimeComparisons);

namespace {
struct RtReading : BaseModel<RtReading> {
    int64_t id = 0;
    double value = 0;
    std::optional<double> spare;
    DateTime takenAt{};
    static void define(ModelDefinition<RtReading>& m) {
        m.table("rt_readings");
        m.column(&RtReading::id, "id", {.isPrimary = true});
        m.column(&RtReading::value, "value");
        m.column(&RtReading::spare, "spare");
        m.column(&RtReading::takenAt, "takenAt");
    }
};

// The TypeError's message, or "" when `f` does not throw one.
template <class F> std::string typeErrorOf(F&& f) {
    try {
        f();
    } catch (const TypeError& e) {
        return e.what();
    }
    return "";
}
}  // namespace

class UnreadableValues : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        dropTables({"rt_readings"});
        db->schema().createTable("rt_readings", [](TableBuilder& t) {
            t.increments("id");
            t.double_("value");
            t.double_("spare").nullable();
            t.timestamp("taken_at");
        });
    }
};

TEST_P(UnreadableValues, RefusesNanAndOutOfRangeDatesAtWriteTimeNamingTheProperty) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const DateTime ok = sys_days{2021y / 1 / 1};
    std::string e = typeErrorOf([&] { RtReading::create({.value = nan, .takenAt = ok}); });
    EXPECT_NE(e.find("RtReading.value"), std::string::npos) << e;
    EXPECT_NE(e.find("NaN"), std::string::npos) << e;
    e = typeErrorOf([&] { RtReading::create({.value = 1, .spare = nan, .takenAt = ok}); });
    EXPECT_NE(e.find("RtReading.spare"), std::string::npos) << e;
    e = typeErrorOf([&] { RtReading::create({.value = 1, .takenAt = DateTime(sys_days{10000y / 1 / 1})}); });
    EXPECT_NE(e.find("RtReading.takenAt"), std::string::npos) << e;
    EXPECT_NE(e.find("10000-01-01"), std::string::npos) << e;
    e = typeErrorOf([&] { RtReading::create({.value = 1, .takenAt = DateTime(sys_days{0y / 12 / 31})}); });
    EXPECT_NE(e.find("RtReading.takenAt"), std::string::npos) << e;
    e = typeErrorOf([&] { RtReading::createMany({{.value = 1, .takenAt = ok}, {.value = nan, .takenAt = ok}}); });
    EXPECT_NE(e.find("RtReading.value"), std::string::npos) << e;
    EXPECT_EQ(RtReading::query().count(), 0);

    RtReading r = RtReading::create({.value = 2.5, .spare = std::numeric_limits<double>::infinity(), .takenAt = ok});
    r.value = nan;
    EXPECT_NE(typeErrorOf([&] { r.save(); }).find("RtReading.value"), std::string::npos);
    r.value = 3;
    r.takenAt = DateTime(sys_days{10000y / 1 / 1});
    EXPECT_NE(typeErrorOf([&] { r.save(); }).find("RtReading.takenAt"), std::string::npos);
    // every row stays readable, as written
    std::vector<RtReading> all = RtReading::all();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].value, 2.5);
    EXPECT_EQ(all[0].spare, std::numeric_limits<double>::infinity());
    EXPECT_EQ(all[0].takenAt, ok);
    // the extremes that can be read back are written
    RtReading::create({.value = -0.0, .takenAt = DateTime(sys_days{1y / 1 / 1})});
    RtReading::create({.value = 1e308, .takenAt = DateTime(sys_days{9999y / 12 / 31} + 23h + 59min + 59s + 999999us)});
    EXPECT_EQ(RtReading::all().size(), 3u);
    EXPECT_EQ(RtReading::query().orderBy(&RtReading::takenAt, Order::Desc).firstOrFail().takenAt,
              DateTime(sys_days{9999y / 12 / 31} + 23h + 59min + 59s + 999999us));
}

TEST_P(UnreadableValues, ANanBindingIsRefusedOnSqliteAndKeptOnPostgres) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (isPostgres()) {
        db->rawQuery("insert into rt_readings (value, taken_at) values (?, now())", {nan});
        EXPECT_TRUE(std::isnan(RtReading::firstOrFail().value));
    } else {
        EXPECT_THROW(db->rawQuery("insert into rt_readings (value, taken_at) values (?, CURRENT_TIMESTAMP)", {nan}), TypeError);
        EXPECT_EQ(RtReading::query().count(), 0);
    }
}

LUCID_DB_TEST_SUITE(UnreadableValues);
