// Key chains: each parent's preloaded rows in row order, and the distinct keys a preload asks for; integer
// keys go through an open-addressing table, others compare as Values (loosely), nulls match nothing.
#include "orm/fast/key_chains.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

using lucid::Bindings;
using lucid::Value;
using lucid::detail::chainKeys;
using lucid::detail::distinctKeys;
using lucid::detail::KeyChains;

namespace {

// The rows of each parent, following its chain.
std::vector<std::vector<std::size_t>> rowsPerParent(const KeyChains& c) {
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t head : c.heads) {
        auto& rows = out.emplace_back();
        for (std::size_t r = head; r != KeyChains::kEnd; r = c.next.at(r)) {
            rows.push_back(r);
            if (rows.size() > c.next.size()) {
                ADD_FAILURE() << "a chain loops";
                break;
            }
        }
    }
    return out;
}

// The same matching, the slow way: every row whose key loosely equals the parent's, in row order.
std::vector<std::vector<std::size_t>> expectedRows(const std::vector<Value>& parents, const std::vector<Value>& rows) {
    std::vector<std::vector<std::size_t>> out;
    for (const Value& p : parents) {
        auto& matched = out.emplace_back();
        for (std::size_t r = 0; r < rows.size(); ++r)
            if (!p.isNull() && !rows[r].isNull() && p.looselyEquals(rows[r])) matched.push_back(r);
    }
    return out;
}

void expectChains(const std::vector<Value>& parents, const std::vector<Value>& rows) {
    const KeyChains c = chainKeys(parents, rows);
    ASSERT_EQ(c.heads.size(), parents.size());
    ASSERT_EQ(c.next.size(), rows.size());
    EXPECT_EQ(rowsPerParent(c), expectedRows(parents, rows));
}

using Rows = std::vector<std::vector<std::size_t>>;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min(), kMax = std::numeric_limits<int64_t>::max();

}  // namespace

TEST(KeyChainsTest, Empty) {
    const KeyChains none = chainKeys({}, {});
    EXPECT_TRUE(none.heads.empty());
    EXPECT_TRUE(none.next.empty());
    const KeyChains noRows = chainKeys({Value(1), Value("a")}, {});
    EXPECT_EQ(noRows.heads, (std::vector<std::size_t>{KeyChains::kEnd, KeyChains::kEnd}));
    const KeyChains noParents = chainKeys({}, {Value(1), Value(1)});
    EXPECT_TRUE(noParents.heads.empty());
    EXPECT_EQ(noParents.next.size(), 2u);
    EXPECT_TRUE(distinctKeys({}).empty());
}

TEST(KeyChainsTest, EachParentGetsItsRowsInRowOrder) {
    const std::vector<Value> parents = {Value(1), Value(2), Value(3), Value(4)};
    const std::vector<Value> rows = {Value(2), Value(1), Value(2), Value(3), Value(2), Value(9)};
    const KeyChains c = chainKeys(parents, rows);
    EXPECT_EQ(rowsPerParent(c), (Rows{{1}, {0, 2, 4}, {3}, {}}));
    EXPECT_EQ(c.next[5], KeyChains::kEnd) << "a row of no parent is in no chain";
}

TEST(KeyChainsTest, DuplicateParentsShareTheirRows) {
    const std::vector<Value> parents = {Value(5), Value(6), Value(5)};
    const std::vector<Value> rows = {Value(5), Value(6), Value(5)};
    EXPECT_EQ(rowsPerParent(chainKeys(parents, rows)), (Rows{{0, 2}, {1}, {0, 2}}));
}

TEST(KeyChainsTest, NullKeysMatchNothing) {
    const std::vector<Value> parents = {Value(), Value(1), Value()};
    const std::vector<Value> rows = {Value(), Value(1), Value(), Value(1)};
    const KeyChains c = chainKeys(parents, rows);
    EXPECT_EQ(rowsPerParent(c), (Rows{{}, {1, 3}, {}}));
    EXPECT_EQ(c.next[0], KeyChains::kEnd);
    EXPECT_EQ(c.next[2], KeyChains::kEnd);
    // the same through the loose path (text keys)
    EXPECT_EQ(rowsPerParent(chainKeys({Value(), Value("k")}, {Value(), Value("k"), Value()})), (Rows{{}, {1}}));
    EXPECT_TRUE(distinctKeys({Value(), Value()}).empty());
}

TEST(KeyChainsTest, IntegerKeysAtTheEdges) {
    // 0 is also what an empty slot's key holds; the extremes hash to the ends of the table
    const std::vector<Value> parents = {Value(0), Value(-1), Value(kMin), Value(kMax), Value(1), Value(kMin + 1)};
    const std::vector<Value> rows = {Value(kMax), Value(-1), Value(0), Value(kMin), Value(0), Value(kMax)};
    EXPECT_EQ(rowsPerParent(chainKeys(parents, rows)), (Rows{{2, 4}, {1}, {3}, {0, 5}, {}, {}}));
    // 0 absent from the rows: its parent gets none (not an empty slot's row)
    EXPECT_EQ(rowsPerParent(chainKeys({Value(0)}, {Value(7), Value(8)})), (Rows{{}}));
    EXPECT_EQ(distinctKeys({Value(0), Value(kMin), Value(0), Value(kMax), Value(kMin)}), (Bindings{Value(0), Value(kMin), Value(kMax)}));
}

TEST(KeyChainsTest, ManyRowsAndProbeCollisions) {
    // consecutive ids, ids a large power of two apart (the same low bits), and repeats
    std::vector<Value> parents, rows;
    for (int64_t i = 0; i < 3000; ++i) {
        parents.emplace_back(i % 7 == 0 ? Value() : Value(i));
        parents.emplace_back(i << 40);
    }
    for (int64_t i = 0; i < 5000; ++i) {
        rows.emplace_back((i * 7919) % 3500);
        rows.emplace_back((i % 3100) << 40);
    }
    // expected through an ordered map: the pairwise comparison would take seconds at this size
    std::map<int64_t, std::vector<std::size_t>> byKey;
    for (std::size_t r = 0; r < rows.size(); ++r) byKey[*rows[r].integer()].push_back(r);
    Rows expected;
    for (const Value& p : parents) expected.push_back(p.isNull() || !byKey.count(*p.integer()) ? std::vector<std::size_t>{} : byKey[*p.integer()]);
    EXPECT_EQ(rowsPerParent(chainKeys(parents, rows)), expected);
    const Bindings keys = distinctKeys(rows);
    std::map<int64_t, int> seen;
    for (const Value& k : keys) EXPECT_EQ(++seen[*k.integer()], 1);
    EXPECT_EQ(keys.size(), 3500u + 3100u - 1u);  // 0 is in both series
    EXPECT_EQ(keys.front(), rows.front());
}

TEST(KeyChainsTest, NumbersCompareLooselyAcrossKinds) {
    // integer parents, rows as doubles or booleans (a driver's numeric or boolean column): loose equality
    const std::vector<Value> parents = {Value(1), Value(2), Value(3)};
    const std::vector<Value> rows = {Value(2.0), Value(true), Value(1), Value(2.5), Value(3.0)};
    EXPECT_EQ(rowsPerParent(chainKeys(parents, rows)), (Rows{{1, 2}, {0}, {4}}));
    expectChains({Value(2.0), Value(false)}, {Value(0), Value(2), Value(int64_t{2})});
    const Bindings keys = distinctKeys({Value(1), Value(1.0), Value(true), Value(2.0), Value(2)});
    EXPECT_EQ(keys, (Bindings{Value(1), Value(2.0)})) << "the first of loosely equal keys is kept";
}

TEST(KeyChainsTest, TextKeysMatchExactly) {
    const std::vector<Value> parents = {Value("a"), Value("A"), Value("1"), Value(""), Value(1)};
    const std::vector<Value> rows = {Value("A"), Value("a"), Value(1), Value("1"), Value(""), Value("a")};
    const KeyChains c = chainKeys(parents, rows);
    EXPECT_EQ(rowsPerParent(c), (Rows{{1, 5}, {0}, {3}, {4}, {2}})) << "text '1' is not the integer 1";
    EXPECT_EQ(distinctKeys(rows), (Bindings{Value("A"), Value("a"), Value(1), Value("1"), Value("")}));
}

TEST(KeyChainsTest, MixedParentsAndRowsChooseTheLoosePath) {
    // integer parents with one text row, text parents with integer rows: either side makes the match loose
    expectChains({Value(1), Value(2)}, {Value(2), Value("x"), Value(1), Value(2)});
    expectChains({Value("x"), Value(1)}, {Value(1), Value(1), Value("x")});
    const lucid::Blob bytes{std::byte{1}, std::byte{0}};
    expectChains({Value(bytes), Value(1)}, {Value(bytes), Value(1), Value(bytes)});
}

TEST(KeyChainsTest, DistinctKeysInTheOrderFirstMet) {
    EXPECT_EQ(distinctKeys({Value(3), Value(1), Value(3), Value(), Value(2), Value(1)}), (Bindings{Value(3), Value(1), Value(2)}));
    EXPECT_EQ(distinctKeys({Value("b"), Value(), Value("a"), Value("b")}), (Bindings{Value("b"), Value("a")}));
}
