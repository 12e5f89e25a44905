// The samples of docs/decimals.md: scripts/docs_snippets.py copies each snippet region of this file
// into the guide, and the test suite runs it on SQLite and PostgreSQL.
#include "support/db_test.hpp"

#include <string>
#include <vector>

namespace decimals_guide {

// [snippet:model]
struct Invoice : lucid::BaseModel<Invoice> {
    int64_t id = 0;
    std::string customer;
    lucid::Decimal total;                    // exact: never through a double
    std::optional<lucid::Decimal> discount;  // null <-> nullopt
    static void define(lucid::ModelDefinition<Invoice>& m) {
        m.table("guide_invoices");
        m.column(&Invoice::id, "id", {.isPrimary = true});
        m.column(&Invoice::customer, "customer");
        m.column(&Invoice::total, "total", {.scale = 2});  // read as a Decimal of scale 2 on every database
        m.column(&Invoice::discount, "discount", {.scale = 2});
    }
};
// [end-snippet]

class DecimalsGuide : public lucid_test::DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"guide_invoices"});
        // [snippet:schema]
        db->schema().createTable("guide_invoices", [](lucid::TableBuilder& t) {
            t.increments("id");
            t.string("customer");
            t.decimal("total", 12, 2);  // numeric(12, 2) on PostgreSQL; a REAL on SQLite
            t.decimal("discount", 12, 2).nullable();
        });
        // [end-snippet]
    }
};

}  // namespace decimals_guide

using namespace decimals_guide;

TEST_P(DecimalsGuide, Values) {
    // [snippet:values]
    lucid::Decimal price{"19.99"};
    EXPECT_EQ(price.toString(), "19.99");
    EXPECT_EQ(price.scale(), 2);
    EXPECT_EQ((price + lucid::Decimal{"0.01"}).toString(), "20.00");  // + and - keep the larger scale
    EXPECT_EQ((lucid::Decimal{"0.10"} + lucid::Decimal{"0.20"}).toString(), "0.30");
    EXPECT_EQ((price * 3).toString(), "59.97");                       // * adds the scales
    EXPECT_TRUE(lucid::Decimal{"20.0"} == lucid::Decimal{"20.00"});    // compared by value
    EXPECT_EQ(lucid::Decimal::fromDouble(0.98999999999999999, 2).toString(), "0.99");
    EXPECT_EQ(lucid::Decimal::fromDouble(2.5, 0).toString(), "3");     // half away from zero
    EXPECT_THROW(lucid::Decimal{"1.2.3"}, lucid::Error);
    // [end-snippet]
}

TEST_P(DecimalsGuide, ModelsAndAggregates) {
    // [snippet:models]
    Invoice::create({.customer = "a", .total = lucid::Decimal{"0.10"}});
    Invoice::create({.customer = "b", .total = lucid::Decimal{"0.20"}, .discount = lucid::Decimal{"0.05"}});
    // another program stored a double that is not quite 2328.60
    db->rawQuery("insert into guide_invoices (customer, total) values ('c', ?)", {2328.600000000004});

    Invoice c = Invoice::findByOrFail(&Invoice::customer, "c");
    EXPECT_EQ(c.total.toString(), "2328.60");  // rounded to the column's scale
    EXPECT_EQ(c.serialize()["total"], "2328.60");  // JSON carries a string, as Lucid does

    lucid::Decimal sum = Invoice::query().sum(&Invoice::total).as<lucid::Decimal>();
    EXPECT_EQ(sum.toString(), "2328.90");  // the same on SQLite (a sum of REALs) and PostgreSQL
    EXPECT_EQ(Invoice::query().max(&Invoice::total).as<lucid::Decimal>().toString(), "2328.60");
    // [end-snippet]
}

LUCID_DB_TEST_SUITE(DecimalsGuide);
