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
