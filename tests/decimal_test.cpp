// lucid::Decimal (API.md §10): the number itself, then as a field, a column scale and aggregates on every database.
#include "support/db_test.hpp"

using namespace lucid;
using lucid_test::DbTest;

TEST(Decimal, ParsesAndPrintsKeepingTheScale) {
    EXPECT_EQ(Decimal{"19.99"}.toString(), "19.99");
    EXPECT_EQ(Decimal{"19.99"}.scale(), 2);
    EXPECT_EQ(Decimal{"20.00"}.toString(), "20.00");
    EXPECT_EQ(Decimal{"-0.50"}.toString(), "-0.50");
    EXPECT_EQ(Decimal{"+3"}.toString(), "3");
    EXPECT_EQ(Decimal{".5"}.toString(), "0.5");
    EXPECT_EQ(Decimal{"007.10"}.toString(), "7.10");
    EXPECT_EQ(Decimal{"-0.00"}.toString(), "0.00");
    EXPECT_EQ(Decimal{"1.5e3"}.toString(), "1500");
    EXPECT_EQ(Decimal{"25e-4"}.toString(), "0.0025");
    EXPECT_EQ(Decimal{"12345678901234567890123.456789"}.toString(), "12345678901234567890123.456789");
    EXPECT_EQ(Decimal{}.toString(), "0");
    EXPECT_EQ(Decimal{}, Decimal{0});
    EXPECT_EQ(Decimal{42}.toString(), "42");
    EXPECT_EQ(Decimal{INT64_MIN}.toString(), "-9223372036854775808");
    EXPECT_EQ(Decimal{UINT64_MAX}.toString(), "18446744073709551615");
    for (const char* bad : {"", "abc", "1.2.3", "-", ".", "1e", "1 ", " 1", "NaN", "Infinity", "0x10", "1,5"}) {
        EXPECT_THROW(Decimal{bad}, Error) << bad;
    }
}

TEST(Decimal, ArithmeticIsExactAndComparesByValue) {
    EXPECT_EQ((Decimal{"0.10"} + Decimal{"0.20"}).toString(), "0.30");
    EXPECT_EQ((Decimal{"0.1"} + Decimal{"0.20"}).toString(), "0.30");
    EXPECT_EQ((Decimal{"19.99"} + Decimal{"0.01"}).toString(), "20.00");
    EXPECT_EQ((Decimal{"1.00"} - Decimal{"2.5"}).toString(), "-1.50");
    EXPECT_EQ((Decimal{"-1.5"} - Decimal{"-1.5"}).toString(), "0.0");
    EXPECT_EQ((Decimal{"19.99"} * Decimal{3}).toString(), "59.97");
    EXPECT_EQ((Decimal{"-0.5"} * Decimal{"0.5"}).toString(), "-0.25");
    EXPECT_EQ((Decimal{"99999999999999999999.99"} + Decimal{"0.01"}).toString(), "100000000000000000000.00");
    Decimal total;
    for (int i = 0; i < 1000; ++i) total += Decimal{"0.10"};
    EXPECT_EQ(total.toString(), "100.00");
    EXPECT_TRUE(Decimal{"20.0"} == Decimal{"20.00"});
    EXPECT_TRUE(Decimal{"20.0"} == 20);
    EXPECT_TRUE(Decimal{"-1"} < Decimal{"0.001"});
    EXPECT_TRUE(Decimal{"-2"} < Decimal{"-1.99"});
    EXPECT_TRUE(Decimal{"10"} > Decimal{"9.999"});
    EXPECT_TRUE((Decimal{"1.10"} <=> Decimal{"1.1"}) == 0);
}

TEST(Decimal, FromDoubleRoundsHalfAwayFromZero) {
    EXPECT_EQ(Decimal::fromDouble(0.98999999999999999, 2).toString(), "0.99");
    EXPECT_EQ(Decimal::fromDouble(2328.600000000004, 2).toString(), "2328.60");
    EXPECT_EQ(Decimal::fromDouble(2.5, 0).toString(), "3");
    EXPECT_EQ(Decimal::fromDouble(-2.5, 0).toString(), "-3");
    EXPECT_EQ(Decimal::fromDouble(0.125, 2).toString(), "0.13");
    EXPECT_EQ(Decimal::fromDouble(2.675, 2).toString(), "2.68");
    EXPECT_EQ(Decimal::fromDouble(0.004, 2).toString(), "0.00");
    EXPECT_EQ(Decimal::fromDouble(0.0005, 2).toString(), "0.00");
    EXPECT_EQ(Decimal::fromDouble(9.995, 2).toString(), "10.00");
    EXPECT_EQ(Decimal::fromDouble(1e20, 1).toString(), "100000000000000000000.0");
    EXPECT_EQ(Decimal::fromDouble(0.1).toString(), "0.1");
    EXPECT_THROW(Decimal::fromDouble(std::numeric_limits<double>::quiet_NaN(), 2), Error);
    EXPECT_THROW(Decimal::fromDouble(std::numeric_limits<double>::infinity(), 2), Error);
}

TEST(Decimal, ConvertsToAndFromValueWithoutADouble) {
    Value v{Decimal{"12345678901234567.89"}};
    EXPECT_EQ(v, Value("12345678901234567.89"));
    EXPECT_EQ(v.as<Decimal>().toString(), "12345678901234567.89");
    EXPECT_EQ(Value(7).as<Decimal>().toString(), "7");
    EXPECT_EQ(Value(19.99).as<Decimal>().toString(), "19.99");
    EXPECT_TRUE(Value(std::optional<Decimal>{}).isNull());
    EXPECT_EQ(Value().as<std::optional<Decimal>>(), std::nullopt);
    EXPECT_THROW(Value().as<Decimal>(), TypeError);
    EXPECT_THROW(Value("abc").as<Decimal>(), TypeError);
    EXPECT_THROW(Value(true).as<Decimal>(), TypeError);
    EXPECT_EQ(roundedToScale(Value(2328.600000000004), 2), Value("2328.60"));
    EXPECT_EQ(roundedToScale(Value(20), 2), Value("20.00"));
    EXPECT_EQ(roundedToScale(Value("1.005"), 2), Value("1.01"));
    EXPECT_TRUE(roundedToScale(Value(), 2).isNull());
}

namespace {
struct DecAuthor;
struct DecBook : BaseModel<DecBook> {
    int64_t id = 0;
    std::optional<int64_t> decAuthorId;
    std::string title;
    Decimal price;
    std::optional<Decimal> discount;
    static void define(ModelDefinition<DecBook>& m) {
        m.table("dec_books");
        m.column(&DecBook::id, "id", {.isPrimary = true});
        m.column(&DecBook::decAuthorId, "decAuthorId");
        m.column(&DecBook::title, "title");
        m.column(&DecBook::price, "price", {.scale = 2});
        m.column(&DecBook::discount, "discount", {.scale = 2});
    }
};
struct DecAuthor : BaseModel<DecAuthor> {
    int64_t id = 0;
    std::string name;
    HasMany<DecBook> books;
    static void define(ModelDefinition<DecAuthor>& m) {
        m.table("dec_authors");
        m.column(&DecAuthor::id, "id", {.isPrimary = true});
        m.column(&DecAuthor::name, "name");
        m.hasMany(&DecAuthor::books, "books", {.foreignKey = "decAuthorId"});
    }
};
// the same table without a scale: what the database gives
struct DecBookRaw : BaseModel<DecBookRaw> {
    int64_t id = 0;
    Decimal price;
    static void define(ModelDefinition<DecBookRaw>& m) {
        m.table("dec_books");
        m.column(&DecBookRaw::id, "id", {.isPrimary = true});
        m.column(&DecBookRaw::price, "price");
    }
};
struct DecReceipt : BaseModel<DecReceipt> {
    int64_t id = 0;
    std::string title;
    Decimal price;
    static void define(ModelDefinition<DecReceipt>& m) {
        m.table("dec_books");
        m.column(&DecReceipt::id, "id", {.isPrimary = true});
        m.column(&DecReceipt::title, "title", {.serialize = [](const Value& v) -> nlohmann::json { return "<" + v.as<std::string>() + ">"; }});
        m.column(&DecReceipt::price, "price", {.serializeAs = "total", .scale = 2, .serialize = [](const Value& v) -> nlohmann::json {
                     return {{"value", v.as<Decimal>().toString()}};
                 }});
    }
};
}  // namespace

class DecimalColumns : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        dropTables({"dec_books", "dec_authors"});
        db->schema().createTable("dec_authors", [](TableBuilder& t) {
            t.increments("id");
            t.string("name");
        });
        db->schema().createTable("dec_books", [](TableBuilder& t) {
            t.increments("id");
            t.integer("dec_author_id").nullable();
            t.string("title").nullable();
            t.decimal("price", 17, 2);
            t.decimal("discount", 10, 2).nullable();
        });
    }
};

TEST_P(DecimalColumns, RoundTripsExactlyAndReadsTheColumnScale) {
    DecBook a = DecBook::create({.title = "a", .price = Decimal{"19.99"}});
    DecBook b = DecBook::create({.title = "b", .price = Decimal{"20"}, .discount = Decimal{"1.5"}});
    DecBook found = DecBook::findOrFail(a.id);
    EXPECT_EQ(found.price.toString(), "19.99");
    EXPECT_FALSE(found.discount.has_value());
    DecBook second = DecBook::findOrFail(b.id);
    EXPECT_EQ(second.price.toString(), "20.00");  // SQLite keeps 20 as INTEGER: read with the column's scale
    EXPECT_EQ(second.discount->toString(), "1.50");
    EXPECT_FALSE(second.isDirty());
    second.price = second.price + Decimal{"0.01"};
    EXPECT_TRUE(second.isDirty());
    second.save();
    EXPECT_EQ(DecBook::findOrFail(b.id).price.toString(), "20.01");
    EXPECT_EQ(DecBook::query().where(&DecBook::price, Value(Decimal{"19.99"})).count(), 1);
    EXPECT_EQ(DecBook::query().where(&DecBook::price, ">", Value(Decimal{"19.99"})).count(), 1);
    EXPECT_EQ(DecBook::query().where(&DecBook::price, ">=", Value(Decimal{"19.990"})).count(), 2);
}

TEST_P(DecimalColumns, AValueWrittenAsARealReadsRoundedToTheScale) {
    // as another program (or a sum stored back) writes it: a double that is not quite 2328.60
    db->rawQuery("insert into dec_books (title, price) values ('r', ?)", {2328.600000000004});
    DecBook r = DecBook::findByOrFail(&DecBook::title, "r");
    EXPECT_EQ(r.price.toString(), "2328.60");
    EXPECT_EQ(r.price.scale(), 2);
    EXPECT_FALSE(r.isDirty());
    EXPECT_EQ(r.serialize()["price"], "2328.60");
    // without a scale the field keeps what the database gives: PostgreSQL's numeric is already exact
    DecBookRaw raw = DecBookRaw::findOrFail(r.id);
    EXPECT_EQ(raw.price.toString(), isPostgres() ? "2328.60" : "2328.600000000004");
}

TEST_P(DecimalColumns, SumMinMaxAreTheSameExactDecimalOnEveryDatabase) {
    // 0.1 + 0.2 + ...: the sum SQLite computes in doubles is 2328.600000000004-like; PostgreSQL's is exact
    std::vector<DecBook> books;
    for (int i = 0; i < 40; ++i) books.push_back({.title = "t" + std::to_string(i), .price = Decimal{i % 3 == 0 ? "58.21" : "58.22"}});
    DecBook::createMany(books);
    Decimal expected;
    for (const auto& b : books) expected += b.price;
    ASSERT_EQ(expected.toString(), "2328.66");
    if (!isPostgres()) {  // SQLite adds REALs: the sum itself is not 2328.66
        EXPECT_NE(db->rawQuery("select sum(price) as s from dec_books")[0]["s"].as<double>(), 2328.66);
    }
    EXPECT_EQ(DecBook::query().sum(&DecBook::price).as<Decimal>().toString(), "2328.66");
    EXPECT_EQ(DecBook::query().sum("price").as<Decimal>().toString(), "2328.66");
    EXPECT_EQ(DecBook::query().min(&DecBook::price).as<Decimal>().toString(), "58.21");
    EXPECT_EQ(DecBook::query().max(&DecBook::price).as<Decimal>().toString(), "58.22");
    EXPECT_TRUE(DecBook::query().where(&DecBook::title, "none").sum(&DecBook::price).isNull());
    // a sum longer than a double holds stays exact where the database keeps it exact
    if (isPostgres()) {
        DecBook::create({.title = "big", .price = Decimal{"123456789012345.67"}});
        EXPECT_EQ(DecBook::query().sum(&DecBook::price).as<Decimal>().toString(), "123456789014674.33");
    }
}

TEST_P(DecimalColumns, WithAggregateGivesTheSameDecimalOnEveryDatabase) {
    DecAuthor a = DecAuthor::create({.name = "a"});
    DecAuthor empty = DecAuthor::create({.name = "none"});
    for (const char* p : {"0.10", "0.20", "2328.30"}) DecBook::create({.decAuthorId = a.id, .title = "x", .price = Decimal{p}});
    db->rawQuery("insert into dec_books (dec_author_id, title, price) values (?, 'y', ?)", {a.id, 0.1 + 0.2});
    std::vector<DecAuthor> authors = DecAuthor::query()
                                         .withAggregate(&DecAuthor::books, lucid::sum(&DecBook::price).as("total"))
                                         .withAggregate(&DecAuthor::books, lucid::max(&DecBook::price).as("dearest"))
                                         .withAggregate(&DecAuthor::books, lucid::avg(&DecBook::price).as("mean"))
                                         .withCount(&DecAuthor::books)
                                         .orderBy(&DecAuthor::id)
                                         .all();
    ASSERT_EQ(authors.size(), 2u);
    auto extra = [](const DecAuthor& au, const std::string& name) {
        for (const auto& [k, v] : au.extras())
            if (k == name) return v;
        return Value("missing");
    };
    EXPECT_EQ(extra(authors[0], "total"), Value("2328.90"));
    EXPECT_EQ(extra(authors[0], "total").as<Decimal>(), Decimal{"2328.90"});
    EXPECT_EQ(extra(authors[0], "dearest"), Value("2328.30"));
    EXPECT_EQ(extra(authors[0], "mean").kind(), Value::Kind::Double);
    EXPECT_NEAR(extra(authors[0], "mean").as<double>(), 582.225, 1e-9);
    EXPECT_EQ(extra(authors[0], "books_count"), Value(4));
    EXPECT_TRUE(extra(authors[1], "total").isNull());
    EXPECT_EQ(authors[1].id, empty.id);
}

TEST_P(DecimalColumns, SerializesAsAStringOrThroughTheColumnsSerialize) {
    DecBook b = DecBook::create({.title = "s", .price = Decimal{"19.9"}, .discount = Decimal{"2.50"}});
    EXPECT_EQ(b.serialize()["price"], "19.9");  // as it was given, until read back
    nlohmann::json j = DecBook::findOrFail(b.id).serialize();
    EXPECT_EQ(j["price"], "19.90");
    EXPECT_EQ(j["discount"], "2.50");
    DecReceipt r = DecReceipt::findOrFail(b.id);
    nlohmann::json rj = r.serialize();
    EXPECT_EQ(rj["title"], "<s>");
    EXPECT_EQ(rj["total"], (nlohmann::json{{"value", "19.90"}}));
    DecBook merged;
    merged.merge(nlohmann::json{{"price", "3.10"}, {"discount", 2}});
    EXPECT_EQ(merged.price.toString(), "3.10");
    EXPECT_EQ(merged.discount->toString(), "2");
}

LUCID_DB_TEST_SUITE(DecimalColumns);
