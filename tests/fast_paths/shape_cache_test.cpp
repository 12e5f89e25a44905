// The shape cache: columnMap() per column list on the model, and SinkShapes' use of the thread's last
// shape, which only an outermost sink may replace (a nested one must not pull the map from under it).
#include <lucid/lucid.hpp>

#include "orm/fast/shape_cache.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using lucid::detail::ColumnMap;
using lucid::detail::ColumnMapPtr;
using lucid::detail::columnMap;
using lucid::detail::SinkShapes;

namespace {

// Each test's model has caches of its own, so no test sees another's shapes.
template <int Tag> struct Gadget : lucid::BaseModel<Gadget<Tag>> {
    int64_t id = 0;
    std::string name;
    lucid::Decimal price;
    std::string note;
    bool isActive = false;
    static void define(lucid::ModelDefinition<Gadget>& m) {
        m.table("gadgets");
        m.column(&Gadget::id, "id", {.isPrimary = true});
        m.column(&Gadget::name, "name");
        m.column(&Gadget::price, "price", {.scale = 2});
        m.column(&Gadget::note, "note", {.consume = [](const lucid::Value& v) { return v; }});
        m.column(&Gadget::isActive, "isActive");
    }
};

const std::vector<std::string> kAll = {"id", "name", "price", "note", "is_active"};

// The model column each result column fills, as the model's own lookup says.
void expectMapOf(const lucid::detail::ModelMeta& meta, const std::vector<std::string>& columns, const ColumnMap& map) {
    ASSERT_EQ(map.toModel.size(), columns.size());
    ASSERT_EQ(map.fromResult.size(), meta.columns.size());
    bool complete = true;
    for (std::size_t k = 0; k < meta.columns.size(); ++k) {
        const int i = map.fromResult[k];
        complete = complete && i >= 0;
        if (i >= 0) {
            EXPECT_EQ(columns[static_cast<std::size_t>(i)], meta.columns[k].column);
        }
    }
    for (std::size_t i = 0; i < columns.size(); ++i) EXPECT_EQ(map.toModel[i], meta.findColumn(columns[i])) << columns[i];
    EXPECT_EQ(map.complete, complete);
}

std::vector<std::string> numbered(int i) { return {"id", "name", "extra_" + std::to_string(i)}; }

}  // namespace

TEST(ColumnMapTest, MapsEachResultColumn) {
    const auto& meta = Gadget<1>::meta();
    const std::vector<std::string> columns = {"price", "extra", "id", "note", "name", "is_active"};
    const ColumnMap& map = *columnMap(meta, columns);
    EXPECT_EQ(map.toModel, (std::vector<int>{2, -1, 0, 3, 1, 4}));
    EXPECT_EQ(map.fromResult, (std::vector<int>{2, 4, 0, 3, 5}));
    EXPECT_TRUE(map.complete);
    ASSERT_EQ(map.readers.size(), columns.size());
    EXPECT_EQ(map.readers[0], nullptr) << "a column with a scale is read through fromDatabase";
    EXPECT_EQ(map.readers[1], nullptr) << "an extra has no field";
    EXPECT_EQ(map.readers[2], meta.columns[0].access.get());
    EXPECT_EQ(map.readers[3], nullptr) << "a column with consume() is read through fromDatabase";
    EXPECT_EQ(map.readers[4], meta.columns[1].access.get());
    EXPECT_EQ(map.readers[5], meta.columns[4].access.get());
}

TEST(ColumnMapTest, PartialColumnListIsNotComplete) {
    const auto& meta = Gadget<2>::meta();
    const std::vector<std::string> columns = {"name", "id"};
    const ColumnMap& map = *columnMap(meta, columns);
    EXPECT_FALSE(map.complete);
    EXPECT_EQ(map.fromResult, (std::vector<int>{1, 0, -1, -1, -1}));
    expectMapOf(meta, columns, map);

    const ColumnMap& none = *columnMap(meta, {});
    EXPECT_FALSE(none.complete);
    EXPECT_EQ(none.fromResult, (std::vector<int>(5, -1)));
    const ColumnMap& extrasOnly = *columnMap(meta, {"count", "total"});
    EXPECT_EQ(extrasOnly.toModel, (std::vector<int>{-1, -1}));
    EXPECT_FALSE(extrasOnly.complete);
}

TEST(ColumnMapTest, RepeatedColumnFillsFromItsLastOccurrence) {
    // a join selecting "id" twice: the model keeps the last one, as the row's fields do
    const auto& meta = Gadget<3>::meta();
    const ColumnMap& map = *columnMap(meta, {"id", "name", "price", "note", "is_active", "id"});
    EXPECT_EQ(map.toModel, (std::vector<int>{0, 1, 2, 3, 4, 0}));
    EXPECT_EQ(map.fromResult[0], 5);
    EXPECT_TRUE(map.complete);
}

TEST(ColumnMapTest, CachedPerColumnList) {
    const auto& meta = Gadget<4>::meta();
    const ColumnMapPtr first = columnMap(meta, kAll);
    EXPECT_EQ(columnMap(meta, kAll), first);
    const ColumnMapPtr reordered = columnMap(meta, {"is_active", "note", "price", "name", "id"});
    EXPECT_NE(reordered, first);
    EXPECT_TRUE(reordered->complete);
    EXPECT_EQ(columnMap(meta, {"is_active", "note", "price", "name", "id"}), reordered);
    EXPECT_EQ(columnMap(meta, kAll), first);
    EXPECT_NE(columnMap(Gadget<5>::meta(), kAll), first) << "each model caches its own";
}

TEST(ColumnMapTest, PastThirtyTwoShapesTheOldestIsMappedAgain) {
    const auto& meta = Gadget<6>::meta();
    const ColumnMapPtr oldest = columnMap(meta, numbered(0));
    for (int i = 1; i <= 32; ++i) expectMapOf(meta, numbered(i), *columnMap(meta, numbered(i)));
    const ColumnMapPtr again = columnMap(meta, numbered(0));
    EXPECT_NE(again, oldest) << "the cache keeps 32 shapes";
    expectMapOf(meta, numbered(0), *again);
    expectMapOf(meta, numbered(0), *oldest);  // a holder keeps the evicted map alive
    EXPECT_EQ(columnMap(meta, numbered(32)), columnMap(meta, numbered(32)));
}

TEST(SinkShapesTest, ThreadsLastShapeIsReusedBySameModelAndShape) {
    const auto& meta = Gadget<7>::meta();
    const ColumnMap* first = nullptr;
    {
        SinkShapes sink;
        first = &sink.resolve(meta, kAll, 7001);
        expectMapOf(meta, kAll, *first);
    }
    {
        // the driver names these columns by shape 7001: the columns are not compared again
        SinkShapes sink;
        EXPECT_EQ(&sink.resolve(meta, {"id"}, 7001), first);
        EXPECT_EQ(&sink.resolve(meta, kAll, 7001), first);
    }
    {
        SinkShapes sink;
        const ColumnMap& other = sink.resolve(meta, {"name", "id"}, 7002);
        EXPECT_NE(&other, first);
        expectMapOf(meta, {"name", "id"}, other);
    }
}

TEST(SinkShapesTest, SameShapeOfAnotherModelIsMappedForIt) {
    const auto& one = Gadget<8>::meta();
    const auto& two = Gadget<9>::meta();
    const std::vector<std::string> columns = {"id", "name"};
    SinkShapes sink;
    const ColumnMap& a = sink.resolve(one, columns, 8001);
    const ColumnMap& b = sink.resolve(two, columns, 8001);
    EXPECT_NE(&a, &b);
    EXPECT_EQ(&b, columnMap(two, columns).get());
}

TEST(SinkShapesTest, ShapeZeroIsNeverTakenForAnother) {
    const auto& meta = Gadget<10>::meta();
    SinkShapes sink;
    const ColumnMap& a = sink.resolve(meta, {"id"}, 0);
    expectMapOf(meta, {"id"}, a);
    const ColumnMap& b = sink.resolve(meta, {"name", "note"}, 0);
    expectMapOf(meta, {"name", "note"}, b);
    EXPECT_EQ(&b, columnMap(meta, {"name", "note"}).get());
}

// An outer sink that took the thread's last shape without holding it: a nested sink meeting new shapes
// (enough to evict the outer one's from the model's cache) must leave it alive and in place.
TEST(SinkShapesTest, NestedSinkDoesNotReplaceTheOuterOnesShape) {
    const auto& meta = Gadget<11>::meta();
    const std::vector<std::string> outerColumns = {"is_active", "id"};
    {
        SinkShapes warm;  // makes 11001 the thread's last shape, so the outer sink below finds it there
        warm.resolve(meta, outerColumns, 11001);
    }
    SinkShapes outer;
    const ColumnMap& outerMap = outer.resolve(meta, outerColumns, 11001);
    {
        SinkShapes inner;
        for (int i = 0; i < 40; ++i) {  // past the model's 32 cached shapes: only the thread's last keeps outerMap
            const ColumnMap& m = inner.resolve(meta, numbered(i), 11100 + static_cast<uint64_t>(i));
            expectMapOf(meta, numbered(i), m);
        }
        EXPECT_EQ(&inner.resolve(meta, outerColumns, 11001), &outerMap) << "a nested sink still finds the last shape";
        {
            SinkShapes deeper;
            expectMapOf(meta, {"note"}, deeper.resolve(meta, {"note"}, 11200));
        }
        expectMapOf(meta, outerColumns, outerMap);
    }
    expectMapOf(meta, outerColumns, outerMap);
    EXPECT_EQ(&outer.resolve(meta, outerColumns, 11001), &outerMap);
    // a nested sink's map stays valid after the outer one goes
    const ColumnMap* nestedMap = nullptr;
    {
        SinkShapes second;  // alive with `outer`: nested
        nestedMap = &second.resolve(meta, outerColumns, 11001);
        {
            SinkShapes third;
            (void)third.resolve(meta, numbered(50), 11300);
        }
        expectMapOf(meta, outerColumns, *nestedMap);
    }
}

TEST(SinkShapesTest, OutermostSinkReplacesTheLastShape) {
    const auto& meta = Gadget<12>::meta();
    const ColumnMap* a = nullptr;
    {
        SinkShapes sink;
        a = &sink.resolve(meta, {"id"}, 12001);
        const ColumnMap& b = sink.resolve(meta, {"name"}, 12002);  // the sink's second statement, another shape
        expectMapOf(meta, {"name"}, b);
        EXPECT_EQ(&sink.resolve(meta, {"name"}, 12002), &b);
    }
    SinkShapes next;
    const ColumnMap& again = next.resolve(meta, {"id"}, 12001);
    expectMapOf(meta, {"id"}, again);
    EXPECT_EQ(&again, a) << "the model's cache still holds it";
}
