// Originals: every kind of cell at every width edge of the encoding, through each assign(), and the
// reference counts of shared blocks and arena chunks (every chunk freed, whichever goes first).
#include <lucid/errors.hpp>
#include <lucid/detail/model_state.hpp>

#include "fast_paths/live_allocations.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

using lucid::detail::Cell;
using lucid::Value;
using lucid::detail::Originals;
using lucid::detail::OriginalsArena;
using fast_paths::liveAllocations;

namespace {

Cell null() { return Cell{}; }
Cell boolean(bool b) {
    Cell c;
    c.kind = Value::Kind::Bool;
    c.integer = b;
    return c;
}
Cell integer(int64_t v) {
    Cell c;
    c.kind = Value::Kind::Int;
    c.integer = v;
    return c;
}
Cell real(double v) {
    Cell c;
    c.kind = Value::Kind::Double;
    c.real = v;
    return c;
}
Cell bytes(Value::Kind kind, const std::string& s) {
    Cell c;
    c.kind = kind;
    c.bytes = s;
    return c;
}

// Text of n bytes, every byte value in turn (NULs included): a length off by one shows in the next cell.
std::string pattern(std::size_t n, unsigned seed = 0) {
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 31 + seed) & 0xFF);
    return s;
}

void expectCell(const Cell& want, const Cell& got, std::size_t column) {
    ASSERT_EQ(want.kind, got.kind) << "column " << column;
    switch (want.kind) {
    case Value::Kind::Null: break;
    case Value::Kind::Bool:
    case Value::Kind::Int: EXPECT_EQ(want.integer, got.integer) << "column " << column; break;
    // bit for bit: -0.0 and NaN too
    case Value::Kind::Double: EXPECT_EQ(std::bit_cast<uint64_t>(want.real), std::bit_cast<uint64_t>(got.real)) << "column " << column; break;
    case Value::Kind::Text:
    case Value::Kind::Blob: EXPECT_EQ(want.bytes, got.bytes) << "column " << column; break;
    }
}

// What o holds equals `want`, read every way it can be read.
void expectHolds(const Originals& o, const std::vector<Cell>& want) {
    ASSERT_FALSE(o.empty());
    ASSERT_EQ(o.size(), want.size());
    std::vector<Cell> all(want.size());
    o.read(all.data(), all.size());
    // operator[] walks i values: on a very wide row, only every 1000th column and the last
    const std::size_t step = want.size() > 2000 ? 1000 : 1;
    for (std::size_t i = 0; i < want.size(); ++i) {
        expectCell(want[i], all[i], i);
        if (i % step != 0 && i + 1 != want.size()) continue;
        expectCell(want[i], o[i], i);
        const Value v = o.value(i);  // compared as cells: a NaN value equals no other
        expectCell(want[i], Cell::of(v), i);
    }
}

// The same cells through the standalone block and through an arena (identity index).
void expectRoundTrip(const std::vector<Cell>& cells) {
    Originals standalone;
    standalone.assign(cells.data(), cells.size());
    expectHolds(standalone, cells);

    std::vector<int> index(cells.size());
    std::iota(index.begin(), index.end(), 0);
    std::size_t total = 0;
    for (const Cell& c : cells) total += c.bytes.size();
    OriginalsArena arena;
    Originals carved;
    carved.assign(cells.data(), index.data(), cells.size(), total, arena);
    expectHolds(carved, cells);
}

// Fills this thread's spare small chunk, so that counts taken afterwards do not see it come or go.
void primeSpareChunk() {
    Originals o;
    const Cell one = integer(1);
    o.assign(&one, 1);
}

const std::vector<int64_t> kIntEdges = {0,         1,         -1,        INT8_MAX,      INT8_MAX + 1,  INT8_MIN,      INT8_MIN - 1,
                                        INT16_MAX, INT16_MAX + 1, INT16_MIN, INT16_MIN - 1, INT32_MAX,     int64_t{INT32_MAX} + 1,
                                        INT32_MIN, int64_t{INT32_MIN} - 1,  INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1};
const std::vector<double> kDoubleEdges = {0.0, -0.0, 1.5, -2.25, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min(),
                                          std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};
// lengths about the 1-byte / 4-byte length prefix
const std::vector<std::size_t> kLengthEdges = {0, 1, 2, 3, 4, 5, 254, 255, 256, 257, 65535, 65536};

}  // namespace

TEST(OriginalsTest, EveryKindAtEveryWidthEdgeRoundTrips) {
    std::vector<std::string> texts;  // the cells view these
    for (std::size_t n : kLengthEdges) texts.push_back(pattern(n, static_cast<unsigned>(n)));
    std::vector<Cell> row = {null(), boolean(false), boolean(true)};
    for (int64_t v : kIntEdges) row.push_back(integer(v));
    for (double v : kDoubleEdges) row.push_back(real(v));
    for (const std::string& t : texts) {
        row.push_back(bytes(Value::Kind::Text, t));
        row.push_back(bytes(Value::Kind::Blob, t));
        row.push_back(integer(-7));  // a fixed-width neighbour after each length
    }
    expectRoundTrip(row);
    // each alone too: one column, no neighbour to hide a short read
    for (const Cell& c : row) expectRoundTrip({c});
}

TEST(OriginalsTest, EmptyTextAndBlobStayTheirKind) {
    const std::string none;
    expectRoundTrip({bytes(Value::Kind::Text, none), bytes(Value::Kind::Blob, none), null()});
    Cell nullData;  // a blob cell whose view has no data pointer at all
    nullData.kind = Value::Kind::Blob;
    expectRoundTrip({nullData, integer(3)});
}

TEST(OriginalsTest, ZeroColumnsIsTrackedButHoldsNothing) {
    Originals o;
    EXPECT_TRUE(o.empty());
    EXPECT_EQ(o.size(), 0u);
    o.assign(nullptr, 0);
    EXPECT_FALSE(o.empty());  // a model of no columns read from the database is not local
    EXPECT_EQ(o.size(), 0u);
    o.read(nullptr, 0);

    OriginalsArena arena;
    Originals carved;
    carved.assign(nullptr, nullptr, 0, 0, arena);
    EXPECT_FALSE(carved.empty());
    EXPECT_EQ(carved.size(), 0u);

    Originals fromValues;
    fromValues.assign(std::vector<Value>{});
    EXPECT_FALSE(fromValues.empty());
    EXPECT_EQ(fromValues.size(), 0u);
}

TEST(OriginalsTest, ManyColumnsUpToTheLimit) {
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < 1000; ++i) texts.push_back(pattern(i % 300, static_cast<unsigned>(i)));
    std::vector<Cell> row;
    for (std::size_t i = 0; i < 1000; ++i) {
        switch (i % 5) {
        case 0: row.push_back(integer(static_cast<int64_t>(i) * 1'000'003 - 500'000'000)); break;
        case 1: row.push_back(bytes(Value::Kind::Text, texts[i])); break;
        case 2: row.push_back(real(static_cast<double>(i) / 7)); break;
        case 3: row.push_back(i % 2 ? null() : boolean(true)); break;
        case 4: row.push_back(bytes(Value::Kind::Blob, texts[i])); break;
        }
    }
    expectRoundTrip(row);

    std::vector<Cell> widest(65535, integer(INT16_MIN));  // the most columns a block counts
    widest.back() = integer(INT64_MAX);
    expectRoundTrip(widest);
}

TEST(OriginalsTest, PastTheColumnLimitThrowsAndKeepsTheOldBlock) {
    const std::string kept = "kept";
    const std::vector<Cell> before = {bytes(Value::Kind::Text, kept)};
    std::vector<Cell> tooMany(65536, null());
    std::vector<int> index(tooMany.size(), 0);

    Originals o;
    o.assign(before.data(), before.size());
    try {
        o.assign(tooMany.data(), tooMany.size());
        FAIL() << "65536 columns were tracked";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_TOO_MANY_COLUMNS");
    }
    expectHolds(o, before);

    OriginalsArena arena;
    EXPECT_THROW(o.assign(tooMany.data(), index.data(), tooMany.size(), 0, arena), lucid::Error);
    expectHolds(o, before);
}

TEST(OriginalsTest, ValueOverFourGigabytesThrowsBeforeReadingIt) {
    static const char byte = 'x';
    Cell huge;  // only its length is looked at before the throw
    huge.kind = Value::Kind::Blob;
    huge.bytes = std::string_view(&byte, std::size_t{UINT32_MAX} + 1);
    Originals o;
    try {
        o.assign(&huge, 1);
        FAIL() << "a value of over 4 GB was tracked";
    } catch (const lucid::Error& e) {
        EXPECT_EQ(e.code(), "E_VALUE_TOO_LARGE");
    }
    EXPECT_TRUE(o.empty());
    const int index = 0;
    OriginalsArena arena;
    EXPECT_THROW(o.assign(&huge, &index, 1, huge.bytes.size(), arena), lucid::Error);
    EXPECT_TRUE(o.empty());
}

TEST(OriginalsTest, BigBlobsRoundTrip) {
    const std::string big = pattern(3 * 1024 * 1024 + 7, 11), other = pattern(70'000, 5);
    expectRoundTrip({bytes(Value::Kind::Blob, big), integer(42), bytes(Value::Kind::Text, other), bytes(Value::Kind::Blob, big)});
}

TEST(OriginalsTest, AssignFromValuesRoundTrips) {
    using namespace std::chrono;
    const lucid::DateTime when = sys_days{year{2024} / 3 / 5} + hours{12} + microseconds{123456};
    const std::vector<Value> values = {Value(), Value(true), Value(false), Value(int64_t{INT64_MIN}), Value(-0.0), Value("text"),
                                       Value(lucid::Blob{std::byte{0}, std::byte{0xFF}}), Value(when), Value(lucid::Decimal("12.50")),
                                       Value(std::string(300, 'z'))};
    Originals o;
    o.assign(values);
    ASSERT_EQ(o.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(o.value(i), values[i]) << "column " << i;
    EXPECT_EQ(o.value(7).as<lucid::DateTime>(), when);
}

TEST(OriginalsTest, ArenaAssignTakesCellsThroughTheIndex) {
    const std::string a = "alpha", b = pattern(300);
    const std::vector<Cell> result = {integer(1), bytes(Value::Kind::Text, a), real(2.5), bytes(Value::Kind::Blob, b)};
    const std::vector<int> index = {3, 0, 0, 2, 1};  // model columns in another order, one result column twice
    OriginalsArena arena;
    Originals o;
    o.assign(result.data(), index.data(), index.size(), b.size() + a.size(), arena);
    expectHolds(o, {result[3], result[0], result[0], result[2], result[1]});
}

TEST(OriginalsTest, ReadFirstNLeavesTheRestUntouched) {
    const std::string t = pattern(400);
    const std::vector<Cell> cells = {integer(300), bytes(Value::Kind::Text, t), real(1.25), boolean(true), null()};
    Originals o;
    o.assign(cells.data(), cells.size());
    for (std::size_t n = 0; n <= cells.size(); ++n) {
        std::vector<Cell> out(cells.size() + 1, integer(-99));
        o.read(out.data(), n);
        for (std::size_t i = 0; i < n; ++i) expectCell(cells[i], out[i], i);
        for (std::size_t i = n; i < out.size(); ++i) expectCell(integer(-99), out[i], i);
    }
}

// The cells may view the block being replaced (a model re-tracking what it holds): it goes only after.
TEST(OriginalsTest, AssignFromItsOwnViews) {
    const std::string t = pattern(1000), s = "short";
    const std::vector<Cell> cells = {bytes(Value::Kind::Text, t), integer(5), bytes(Value::Kind::Blob, s)};
    Originals o;
    o.assign(cells.data(), cells.size());
    std::vector<Cell> views(cells.size());
    o.read(views.data(), views.size());
    o.assign(views.data(), views.size());
    expectHolds(o, cells);

    OriginalsArena arena;
    std::vector<int> index = {0, 1, 2};
    o.read(views.data(), views.size());
    o.assign(views.data(), index.data(), index.size(), t.size() + s.size(), arena);
    expectHolds(o, cells);
    o.read(views.data(), views.size());
    o.assign(views.data(), index.data(), index.size(), t.size() + s.size(), arena);
    expectHolds(o, cells);
}

TEST(OriginalsTest, CopiesShareOneBlock) {
    primeSpareChunk();
    const long before = liveAllocations();
    {
        const std::string t = pattern(500);
        const std::vector<Cell> cells = {bytes(Value::Kind::Text, t), integer(9)};
        Originals a;
        a.assign(cells.data(), cells.size());
        const long one = liveAllocations();
        const char* block = a[0].bytes.data();

        Originals b(a);
        EXPECT_EQ(b[0].bytes.data(), block);  // shared, not copied
        Originals c;
        c = a;
        EXPECT_EQ(c[0].bytes.data(), block);
        c = c;  // self-assignment keeps it
        EXPECT_EQ(c[0].bytes.data(), block);
        Originals& alias = c;
        c = std::move(alias);
        ASSERT_FALSE(c.empty());
        EXPECT_EQ(c[0].bytes.data(), block);
        EXPECT_EQ(liveAllocations(), one);

        Originals d(std::move(b));
        EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): a moved-from one is local
        EXPECT_EQ(d[0].bytes.data(), block);
        Originals e;
        e = std::move(d);
        EXPECT_TRUE(d.empty());  // NOLINT(bugprone-use-after-move)
        expectHolds(e, cells);

        a.clear();
        EXPECT_TRUE(a.empty());
        EXPECT_EQ(a.size(), 0u);
        expectHolds(c, cells);  // the others still hold it
        c.clear();
        expectHolds(e, cells);
        EXPECT_EQ(liveAllocations(), one);
        e = Originals();  // the last holder lets go
        EXPECT_EQ(liveAllocations(), one - 1);
    }
    EXPECT_EQ(liveAllocations(), before);
}

namespace {
// Rows of an arena, sized to cross every chunk boundary: the first chunk fits one row, later ones grow to a
// few KB, a row larger than a chunk gets one of its own, a row past 64 KB too.
struct ArenaRows {
    std::vector<std::string> texts;
    std::vector<std::vector<Cell>> rows;
    ArenaRows() {
        const std::vector<std::size_t> sizes = {10, 10, 100, 3000, 3000, 3000, 9000, 5, 70'000, 1, 1, 200'000, 40, 8000, 8100, 2};
        texts.reserve(sizes.size());
        for (std::size_t i = 0; i < sizes.size(); ++i) texts.push_back(pattern(sizes[i], static_cast<unsigned>(i)));
        for (std::size_t r = 0; r < 400; ++r) {
            const std::string& t = texts[r % texts.size()];
            rows.push_back({integer(static_cast<int64_t>(r)), bytes(r % 2 ? Value::Kind::Text : Value::Kind::Blob, t), real(r * 0.5)});
        }
    }
    void carve(std::vector<Originals>& into, OriginalsArena& arena) const {
        const int index[] = {0, 1, 2};
        into.resize(rows.size());
        for (std::size_t r = 0; r < rows.size(); ++r) into[r].assign(rows[r].data(), index, 3, rows[r][1].bytes.size(), arena);
    }
    void expectIn(const std::vector<Originals>& models) const {
        // no SCOPED_TRACE: its stack would stay allocated and the counts would see it
        for (std::size_t r = 0; r < models.size(); ++r) {
            expectHolds(models[r], rows[r]);
            if (::testing::Test::HasFailure()) return void(ADD_FAILURE() << "row " << r);
        }
    }
};
}  // namespace

TEST(OriginalsTest, ArenaChunksFreedWhenTheArenaGoesFirst) {
    const ArenaRows data;
    primeSpareChunk();
    const long before = liveAllocations();
    std::vector<Originals> models;
    {
        OriginalsArena arena;
        data.carve(models, arena);
        data.expectIn(models);  // no row overwrote another
    }
    data.expectIn(models);  // the chunks outlive their arena
    std::vector<Originals> kept(models.begin(), models.begin() + 10);  // copies keep theirs
    models = std::vector<Originals>();
    data.expectIn(kept);
    kept = std::vector<Originals>();
    EXPECT_EQ(liveAllocations(), before);
}

TEST(OriginalsTest, ArenaChunksFreedWhenTheModelsGoFirst) {
    const ArenaRows data;
    primeSpareChunk();
    const long before = liveAllocations();
    {
        OriginalsArena arena;
        {
            std::vector<Originals> models;
            data.carve(models, arena);
            data.expectIn(models);
        }
        // the arena carves on from its current chunk, then lets go
        std::vector<Originals> again;
        data.carve(again, arena);
        data.expectIn(again);
        again = std::vector<Originals>();
    }
    EXPECT_EQ(liveAllocations(), before);
}

TEST(OriginalsTest, RowsReassignedInOneArena) {
    // A model hydrated twice in one fetch: its first block is released while the arena still holds the chunk.
    const ArenaRows data;
    primeSpareChunk();
    const long before = liveAllocations();
    {
        OriginalsArena arena;
        Originals o;
        const int index[] = {0, 1, 2};
        for (const auto& row : data.rows) {
            o.assign(row.data(), index, 3, row[1].bytes.size(), arena);
            expectHolds(o, row);
        }
    }
    EXPECT_EQ(liveAllocations(), before);
}

// A block's header keeps how far back its chunk starts in 2 bytes: the last block a chunk may take starts
// 65532 bytes in (blocks are 4-aligned), the next one goes to a new chunk. Sized with the encoding's widths:
// a null takes 1 byte (9 reserved), a blob 5 + its bytes past 255 (9 reserved), a short text 2 + its bytes.
TEST(OriginalsTest, BlocksAtTheLastOffsetAChunkCanName) {
    const std::string first = "f", filler = pattern(56'483), edge = "e", next = "n";
    std::vector<Cell> wide(9000, null());  // reserves ~81 KB, uses ~9 KB: the chunk keeps room for more rows
    wide[0] = bytes(Value::Kind::Text, first);
    const std::vector<Cell> fill = {bytes(Value::Kind::Blob, filler)};
    const std::vector<Cell> atEdge = {bytes(Value::Kind::Text, edge)}, pastEdge = {bytes(Value::Kind::Text, next)};
    std::vector<int> index(wide.size());
    std::iota(index.begin(), index.end(), 0);

    primeSpareChunk();
    const long before = liveAllocations();
    {
        OriginalsArena arena;
        Originals a, b, c, d;
        a.assign(wide.data(), index.data(), wide.size(), first.size(), arena);
        b.assign(fill.data(), index.data(), 1, filler.size(), arena);
        c.assign(atEdge.data(), index.data(), 1, edge.size(), arena);
        const long beforeNext = liveAllocations();
        d.assign(pastEdge.data(), index.data(), 1, next.size(), arena);
        // the block starts 6 bytes before a first-column short text's bytes
        const auto start = [](const Originals& o) { return o[0].bytes.data() - 6; };
        ASSERT_EQ(start(c) - start(a), 65500) << "the encoding changed: resize `wide` and `filler` to reach the 64 KB edge again";
        EXPECT_EQ(liveAllocations(), beforeNext + 1) << "the block past the edge should take a new chunk";
        expectHolds(a, wide);
        expectHolds(b, fill);
        expectHolds(c, atEdge);
        expectHolds(d, pastEdge);
        // released in an order where a wrong distance would free the wrong chunk first
        c = Originals();
        a.clear();
        expectHolds(b, fill);
        expectHolds(d, pastEdge);
    }
    EXPECT_EQ(liveAllocations(), before);
}
