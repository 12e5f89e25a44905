// chunk(), each() and cursor() (API.md §12) on both databases: every row once and in key order, whatever
// wrote it, with preloads per chunk; a loop left early (break, exception) gives its connection back usable.
#include "support/db_test.hpp"

#include <ranges>
#include <stdexcept>

using namespace lucid;
using lucid_test::DbTest;
using lucid_test::QueryCounter;

namespace large {

struct Tag;

struct Lot : BaseModel<Lot> {
    int64_t id = 0;
    std::string label;
    int64_t points = 0;
    HasMany<Tag> tags;
    static void define(ModelDefinition<Lot>& m) {
        m.table("lots");
        m.column(&Lot::id, "id", {.isPrimary = true});
        m.column(&Lot::label, "label");
        m.column(&Lot::points, "points");
        m.hasMany(&Lot::tags, "tags", {.foreignKey = "lotId"});
    }
};

struct Tag : BaseModel<Tag> {
    int64_t id = 0;
    int64_t lotId = 0;
    std::string name;
    static void define(ModelDefinition<Tag>& m) {
        m.table("lot_tags");
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::lotId, "lotId");
        m.column(&Tag::name, "name");
    }
};

}  // namespace large

using large::Lot;
using large::Tag;

class LargeResultsTest : public DbTest {
protected:
    void SetUp() override {
        DbTest::SetUp();
        if (HasFatalFailure()) return;
        dropTables({"lot_tags", "lots"});
        createLots(*db);
        db->schema().createTable("lot_tags", [](TableBuilder& t) {
            t.bigIncrements("id");
            t.bigInteger("lot_id");
            t.string("name");
        });
    }
    static void createLots(QueryClient& client) {
        client.schema().createTable("lots", [](TableBuilder& t) {
            t.bigIncrements("id");
            t.string("label");
            t.integer("points").defaultTo(0);
        });
    }
    // Rows written by raw SQL, with the ids given (gaps, out of order): label "l<id>", points id % 3.
    void insertLots(const std::vector<int64_t>& ids) {
        for (int64_t id : ids)
            db->rawQuery("insert into lots (id, label, points) values (?, ?, ?)", {id, "l" + std::to_string(id), id % 3});
    }
    std::vector<int64_t> chunkIds(ModelQuery<Lot> q, int64_t size, std::vector<std::size_t>* sizes = nullptr) {
        std::vector<int64_t> ids;
        q.chunk(size, [&](std::vector<Lot>& batch) {
            if (sizes) sizes->push_back(batch.size());
            for (const Lot& l : batch) {
                EXPECT_EQ(l.label, "l" + std::to_string(l.id));
                ids.push_back(l.id);
            }
        });
        return ids;
    }
};

namespace {
std::vector<int64_t> gappyIds() { return {7, 3, 100, 4, 58, 9, 1000, 21, 22, 23}; }  // 10 rows, written out of order
std::vector<int64_t> sortedGappyIds() { return {3, 4, 7, 9, 21, 22, 23, 58, 100, 1000}; }
}  // namespace

TEST_P(LargeResultsTest, ChunkVisitsEveryRowOnceInKeyOrder) {
    insertLots(gappyIds());
    std::vector<std::size_t> sizes;
    EXPECT_EQ(chunkIds(Lot::query(), 3, &sizes), sortedGappyIds());  // 3 does not divide 10
    EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 3, 3, 1}));
    sizes.clear();
    EXPECT_EQ(chunkIds(Lot::query(), 5, &sizes), sortedGappyIds());  // 5 does
    EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 5}));
    EXPECT_EQ(chunkIds(Lot::query(), 1), sortedGappyIds());
    EXPECT_EQ(chunkIds(Lot::query(), 1000), sortedGappyIds());
}

TEST_P(LargeResultsTest, ChunkRunsNoTrailingEmptyQuery) {
    insertLots(gappyIds());
    QueryCounter counter(*db);
    chunkIds(Lot::query(), 3);
    EXPECT_EQ(counter.count, 4);  // 3 + 3 + 3 + 1: the short chunk ends the walk
    counter.count = 0;
    chunkIds(Lot::query(), 5);
    EXPECT_EQ(counter.count, 3);  // 5 + 5 + an empty one: a full chunk cannot know it was the last
}

TEST_P(LargeResultsTest, ChunkKeepsTheQuerysWheresLimitAndOffset) {
    insertLots(gappyIds());
    // points = id % 3: 1 for 4, 7, 22, 58, 100, 1000; an orWhere stays inside the user's brackets
    EXPECT_EQ(chunkIds(Lot::query().where(&Lot::points, 1), 2), (std::vector<int64_t>{4, 7, 22, 58, 100, 1000}));
    EXPECT_EQ(chunkIds(Lot::query().where(&Lot::points, 1).orWhere(&Lot::id, 3), 4), (std::vector<int64_t>{3, 4, 7, 22, 58, 100, 1000}));
    EXPECT_EQ(chunkIds(Lot::query().where(&Lot::id, ">", 1000), 4), std::vector<int64_t>{});
    // the key orders the walk whatever the query's order; its limit bounds the whole walk, its offset skips the first rows
    EXPECT_EQ(chunkIds(Lot::query().orderBy(&Lot::label, Desc), 4), sortedGappyIds());
    EXPECT_EQ(chunkIds(Lot::query().limit(5), 2), (std::vector<int64_t>{3, 4, 7, 9, 21}));
    EXPECT_EQ(chunkIds(Lot::query().offset(2).limit(5), 2), (std::vector<int64_t>{7, 9, 21, 22, 23}));
}

TEST_P(LargeResultsTest, ChunkNeedsTheKeyInTheSelection) {
    insertLots({1, 2, 3, 4, 5});
    try {
        Lot::query().select("label").chunk(2, [](std::vector<Lot>&) {});
        ADD_FAILURE() << "chunk() walked without the key";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_CHUNK_WITHOUT_KEY");
    }
    std::vector<std::string> labels;
    Lot::query().select("id", "label").each([&](Lot& l) { labels.push_back(l.label); }, 2);
    EXPECT_EQ(labels, (std::vector<std::string>{"l1", "l2", "l3", "l4", "l5"}));
}

static_assert(std::ranges::input_range<Cursor<Lot>>, "cursor() is an input range");

TEST_P(LargeResultsTest, ChunkOfAnEmptyTableCallsNothing) {
    int calls = 0;
    Lot::query().chunk(10, [&](std::vector<Lot>&) { ++calls; });
    Lot::query().each([&](Lot&) { ++calls; });
    for (Lot& l : Lot::query().cursor()) (void)l, ++calls;
    EXPECT_EQ(calls, 0);
}

TEST_P(LargeResultsTest, ChunkSizeBelowOneThrows) {
    insertLots({1});
    for (int64_t size : {0, -1}) {
        try {
            Lot::query().chunk(size, [](std::vector<Lot>&) {});
            ADD_FAILURE() << "chunk(" << size << ") ran";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), "E_INVALID_CHUNK_SIZE");
        }
    }
    EXPECT_THROW(Lot::query().each([](Lot&) {}, 0), Error);
}

// Rows added behind the walk's key while it runs are not visited; rows ahead of it are, once.
TEST_P(LargeResultsTest, ChunkSeesRowsWrittenMeanwhileOnce) {
    insertLots({10, 20, 30, 40});
    std::vector<int64_t> ids;
    Lot::query().chunk(2, [&](std::vector<Lot>& batch) {
        for (const Lot& l : batch) ids.push_back(l.id);
        if (ids.size() == 2) {
            insertLots({5, 35});                     // behind (5) and ahead (35) of the walk
            db->rawQuery("delete from lots where id = 30");  // ahead, gone
        }
    });
    EXPECT_EQ(ids, (std::vector<int64_t>{10, 20, 35, 40}));
}

TEST_P(LargeResultsTest, ChunkPreloadsOncePerChunk) {
    insertLots({1, 2, 3, 4, 5});
    for (int64_t lot : {1, 1, 3, 5}) db->rawQuery("insert into lot_tags (lot_id, name) values (?, ?)", {lot, "t" + std::to_string(lot)});
    QueryCounter counter(*db);
    std::vector<std::size_t> tagCounts;
    Lot::query().preload(&Lot::tags).chunk(2, [&](std::vector<Lot>& batch) {
        for (const Lot& l : batch) {
            EXPECT_TRUE(l.tags.isLoaded());
            tagCounts.push_back(l.tags.size());
            for (const Tag& t : l.tags) EXPECT_EQ(t.name, "t" + std::to_string(l.id));
        }
    });
    EXPECT_EQ(tagCounts, (std::vector<std::size_t>{2, 0, 1, 0, 1}));
    EXPECT_EQ(counter.count, 6);  // 3 chunks (2 + 2 + 1), each with one preload query
}

TEST_P(LargeResultsTest, EachVisitsEveryRowInKeyOrder) {
    insertLots(gappyIds());
    std::vector<int64_t> ids;
    Lot::query().each([&](Lot& l) { ids.push_back(l.id); }, 4);
    EXPECT_EQ(ids, sortedGappyIds());
    ids.clear();
    Lot::query().where(&Lot::points, 0).each([&](Lot& l) { ids.push_back(l.id); });  // the default size
    EXPECT_EQ(ids, (std::vector<int64_t>{3, 9, 21}));
    // the models are live: saved from inside the loop
    Lot::query().each([](Lot& l) {
        l.points = 100;
        l.save();
    }, 3);
    EXPECT_EQ(db->rawQuery("select count(*) as n from lots where points = 100")[0].get<int64_t>("n"), 10);
}

TEST_P(LargeResultsTest, CursorStreamsEveryRowOfOneStatement) {
    insertLots(gappyIds());
    QueryCounter counter(*db);
    std::vector<int64_t> ids;
    for (Lot& l : Lot::query().orderBy(&Lot::id).cursor()) {
        EXPECT_EQ(l.label, "l" + std::to_string(l.id));
        EXPECT_EQ(l.points, l.id % 3);
        ids.push_back(l.id);
    }
    EXPECT_EQ(ids, sortedGappyIds());
    EXPECT_EQ(counter.count, 1);
    ids.clear();
    for (Lot& l : Lot::query().where(&Lot::points, ">", 0).orderBy(&Lot::id, Desc).cursor()) ids.push_back(l.id);
    EXPECT_EQ(ids, (std::vector<int64_t>{1000, 100, 58, 23, 22, 7, 4}));
    for (Lot& l : Lot::query().where(&Lot::id, 3).cursor()) EXPECT_FALSE(l.isDirty());
}

TEST_P(LargeResultsTest, CursorRefusesPreloads) {
    try {
        for (Lot& l : Lot::query().preload(&Lot::tags).cursor()) (void)l;
        ADD_FAILURE() << "cursor() ran with a preload";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), "E_CURSOR_PRELOAD");
    }
}

// A loop left early ends its statement: the connection goes back to the pool ready for the next one.
// One pooled connection only, so the next statements run on that very connection.
TEST_P(LargeResultsTest, BreakingOutOfACursorLeavesTheConnectionUsable) {
    Database one(DatabaseConfig{.connection = "one", .connections = {{"one", ConnectionConfig{.url = GetParam(), .pool = {.max = 1}}}}});
    if (!isPostgres()) createLots(one);  // an in-memory SQLite database lives in its connection: another one is empty
    std::vector<Attributes> rows;
    for (int64_t id = 1; id <= 5000; ++id) rows.push_back({{"id", id}, {"label", "l" + std::to_string(id)}, {"points", id % 3}});
    one.table("lots").insertMany(rows);
    for (int round = 0; round < 3; ++round) {
        int seen = 0;
        for (Lot& l : Lot::query(one).orderBy(&Lot::id).cursor()) {
            EXPECT_EQ(l.id, ++seen);
            if (seen == 10) break;
        }
        EXPECT_EQ(seen, 10);
        EXPECT_EQ(one.from("lots").count(), 5000);
        EXPECT_EQ(one.rawQuery("select label from lots where id = 4999")[0].get<std::string>("label"), "l4999");
    }
    // an exception thrown from the loop's body does the same
    EXPECT_THROW(
        {
            for (Lot& l : Lot::query(one).cursor())
                if (l.id > 0) throw std::runtime_error("stop");
        },
        std::runtime_error);
    EXPECT_EQ(one.from("lots").where("id", "<=", 100).count(), 100);
    // and so does one from a chunk's or each's callback
    EXPECT_THROW(Lot::query(one).chunk(10, [](std::vector<Lot>&) { throw std::runtime_error("stop"); }), std::runtime_error);
    EXPECT_THROW(Lot::query(one).each([](Lot&) { throw std::runtime_error("stop"); }), std::runtime_error);
    EXPECT_EQ(Lot::query(one).count(), 5000);
    one.transaction([](Transaction& trx) { trx.table("lots").where("id", 1).update({{"label", "one"}}); });
    EXPECT_EQ(one.rawQuery("select label from lots where id = 1")[0].get<std::string>("label"), "one");
}

TEST_P(LargeResultsTest, CursorInsideATransaction) {
    insertLots(gappyIds());
    db->transaction([&](Transaction& trx) {
        trx.rawQuery("insert into lots (id, label, points) values (?, ?, ?)", {2000, "l2000", 2});  // seen only inside
        std::vector<int64_t> ids;
        for (Lot& l : Lot::query(trx).orderBy(&Lot::id).cursor()) ids.push_back(l.id);
        std::vector<int64_t> expected = sortedGappyIds();
        expected.push_back(2000);
        EXPECT_EQ(ids, expected);
        int seen = 0;
        for (Lot& l : Lot::query(trx).orderBy(&Lot::id).cursor()) {
            (void)l;
            if (++seen == 2) break;  // left early inside the transaction: the transaction goes on
        }
        EXPECT_EQ(trx.from("lots").count(), 11);
        // statements inside the loop run on the transaction's connection, between the cursor's rows
        for (Lot& l : Lot::query(trx).where(&Lot::points, 0).cursor()) {
            l.label = "zero";
            l.save();
            EXPECT_EQ(trx.from("lots").where("id", l.id).where("label", "zero").count(), 1);
        }
        EXPECT_EQ(trx.from("lots").where("label", "zero").count(), 3);
        std::vector<int64_t> chunked;
        Lot::query(trx).chunk(4, [&](std::vector<Lot>& batch) {
            for (const Lot& l : batch) chunked.push_back(l.id);
        });
        EXPECT_EQ(chunked, expected);
    });
    EXPECT_EQ(db->from("lots").count(), 11);  // committed
}

LUCID_DB_TEST_SUITE(LargeResultsTest);
