// The small caches of the fast paths: threadCache (one per thread, gone with the thread), useCachedSql
// (SQL per model, dialect and shape, up to a cap), LocalBuffer (stack up to N) and ReusedBindings.
#include <lucid/lucid.hpp>

#include "orm/fast/local_buffer.hpp"
#include "orm/fast/reused_bindings.hpp"
#include "orm/fast/statement_cache.hpp"
#include "orm/fast/thread_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using lucid::Bindings;
using lucid::Value;
using lucid::detail::Dialect;
using lucid::detail::LocalBuffer;
using lucid::detail::ReusedBindings;
using lucid::detail::Statement;
using lucid::detail::threadCache;

namespace {
struct Counter {
    int value = 0;
};
struct Untouched {
    int value = 0;
};
}  // namespace

TEST(ThreadCacheTest, OneInstancePerThread) {
    Counter* mine = threadCache<Counter>();
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(threadCache<Counter>(), mine);
    mine->value = 41;
    Counter* theirs = nullptr;
    int theirValue = -1;
    std::thread t([&] {
        theirs = threadCache<Counter>();
        theirValue = theirs ? theirs->value : -1;
        if (theirs) theirs->value = 7;
    });
    t.join();
    EXPECT_NE(theirs, nullptr);
    EXPECT_NE(theirs, mine);
    EXPECT_EQ(theirValue, 0) << "another thread starts from a fresh value";
    EXPECT_EQ(mine->value, 41);
    EXPECT_NE(static_cast<void*>(threadCache<Untouched>()), static_cast<void*>(mine)) << "one cache per type";
}

namespace {
std::atomic<int> lateSaw{0};  // 1: a cache, 2: none
std::atomic<int> earlySaw{0};
// Destroyed at thread exit after (late) or before (early) the cache, as statics that use models may be.
struct AtExit {
    std::atomic<int>& saw;
    ~AtExit() { saw = threadCache<Counter>() ? 1 : 2; }
};
}  // namespace

TEST(ThreadCacheTest, GoneOnceTheThreadTearsItDown) {
    std::thread t([] {
        thread_local AtExit late{lateSaw};  // made before the cache: destroyed after it
        (void)&late;
        ASSERT_NE(threadCache<Counter>(), nullptr);
        thread_local AtExit early{earlySaw};  // made after it: destroyed before it
        (void)&early;
    });
    t.join();
    EXPECT_EQ(earlySaw.load(), 1) << "the cache is there until its thread destroys it";
    EXPECT_EQ(lateSaw.load(), 2) << "after that, callers must do without it";
}

namespace {
// Every test calls useCachedSql through here: one instantiation, so the fast path's thread_local `last`
// is shared as it is in the library. `reenter`: a compile that finds the shape compiled meanwhile.
const std::string* cachedFor(Statement& st, const lucid::detail::ModelMeta& meta, const Dialect& d, std::string_view shape, int& compiles,
                             bool reenter = false) {
    lucid::detail::useCachedSql(st, meta, d, shape, [&](const Dialect& dialect) {
        ++compiles;
        if (reenter) {
            Statement other;
            int ignored = 0;
            cachedFor(other, meta, dialect, shape, ignored);
        }
        Statement compiled;
        compiled.sql = std::string(dialect.name()) + ":" + std::string(shape);
        compiled.preparable = shape != "unprepared";
        compiled.bindings.emplace_back(int64_t{1});  // dropped: only the text and the marks are kept
        return compiled;
    });
    return st.cachedSql;
}

template <int Tag> struct Widget : lucid::BaseModel<Widget<Tag>> {
    int64_t id = 0;
    static void define(lucid::ModelDefinition<Widget>& m) {
        m.table("widgets");
        m.column(&Widget::id, "id", {.isPrimary = true});
    }
};
const Dialect& sqlite = lucid::detail::sqliteDialect();
const Dialect& postgres = lucid::detail::postgresDialect();
}  // namespace

TEST(StatementCacheTest, SameShapeGivesTheSameText) {
    const auto& meta = Widget<1>::meta();
    int compiles = 0;
    Statement a, b;
    const std::string* first = cachedFor(a, meta, sqlite, "find", compiles);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(*first, "sqlite:find");
    EXPECT_EQ(a.text(), "sqlite:find");
    EXPECT_TRUE(a.sql.empty());
    EXPECT_EQ(cachedFor(b, meta, sqlite, "find", compiles), first);
    EXPECT_EQ(compiles, 1);
    // found again after another shape was last on this thread (through the model's cache, not `last`)
    Statement c, d;
    cachedFor(c, meta, sqlite, "other", compiles);
    EXPECT_EQ(cachedFor(d, meta, sqlite, "find", compiles), first);
    EXPECT_EQ(compiles, 2);
}

TEST(StatementCacheTest, DialectsShapesAndModelsAreEntriesOfTheirOwn) {
    const auto& one = Widget<2>::meta();
    const auto& two = Widget<3>::meta();
    int compiles = 0;
    Statement s[6];
    const std::string* lite = cachedFor(s[0], one, sqlite, "find", compiles);
    const std::string* pg = cachedFor(s[1], one, postgres, "find", compiles);
    const std::string* update = cachedFor(s[2], one, postgres, "u:1,2", compiles);
    const std::string* otherModel = cachedFor(s[3], two, postgres, "u:1,2", compiles);
    EXPECT_EQ(compiles, 4);
    EXPECT_EQ(*lite, "sqlite:find");
    EXPECT_EQ(*pg, "postgres:find");
    EXPECT_EQ(*update, "postgres:u:1,2");
    EXPECT_NE(otherModel, update);
    // alternating, so the thread's last entry is always the wrong one
    EXPECT_EQ(cachedFor(s[4], one, sqlite, "find", compiles), lite);
    EXPECT_EQ(cachedFor(s[5], one, postgres, "u:1,2", compiles), update);
    EXPECT_EQ(cachedFor(s[4], two, postgres, "u:1,2", compiles), otherModel);
    EXPECT_EQ(cachedFor(s[5], one, postgres, "find", compiles), pg);
    EXPECT_EQ(compiles, 4);
    // a shape that is a prefix of another is not it
    EXPECT_NE(cachedFor(s[0], one, postgres, "u:1", compiles), update);
    EXPECT_EQ(compiles, 5);
}

TEST(StatementCacheTest, CompiledMeanwhileIsTakenFromTheCache) {
    const auto& meta = Widget<4>::meta();
    int compiles = 0;
    Statement st;
    const std::string* text = cachedFor(st, meta, sqlite, "raced", compiles, /*reenter=*/true);
    EXPECT_EQ(compiles, 1);
    Statement again;
    EXPECT_EQ(cachedFor(again, meta, sqlite, "raced", compiles), text) << "one entry for the shape";
    EXPECT_EQ(compiles, 1);
    std::lock_guard lock(meta.caches->mutex);
    EXPECT_EQ(meta.caches->sql.size(), 1u);
    EXPECT_TRUE(meta.caches->sql.front()->compiled.bindings.empty());
}

TEST(StatementCacheTest, AStatementTakesTheMarksOfItsCompiledShape) {
    const auto& meta = Widget<40>::meta();
    int compiles = 0;
    for (int n = 0; n < 2; ++n) {  // compiled, then from the cache (the thread's last shape)
        Statement st;
        ASSERT_NE(cachedFor(st, meta, sqlite, "unprepared", compiles), nullptr);
        EXPECT_FALSE(st.preparable) << n;
        EXPECT_TRUE(st.bindings.empty()) << n;
        Statement other;
        ASSERT_NE(cachedFor(other, meta, sqlite, "prepared", compiles), nullptr);
        EXPECT_TRUE(other.preparable) << n;
    }
    EXPECT_EQ(compiles, 2);
}

TEST(StatementCacheTest, PastTheCapCompiledEveryTime) {
    const auto& meta = Widget<5>::meta();
    int compiles = 0;
    std::vector<const std::string*> kept;
    for (int i = 0; i < 64; ++i) {
        Statement st;
        kept.push_back(cachedFor(st, meta, i % 2 ? sqlite : postgres, "shape" + std::to_string(i), compiles));
        ASSERT_NE(kept.back(), nullptr) << i;
    }
    EXPECT_EQ(compiles, 64);
    for (int n = 1; n <= 2; ++n) {
        Statement st;
        EXPECT_EQ(cachedFor(st, meta, sqlite, "shape64", compiles), nullptr) << "the 65th shape is not cached";
        EXPECT_EQ(st.sql, "sqlite:shape64");
        EXPECT_EQ(st.text(), "sqlite:shape64");
        EXPECT_EQ(compiles, 64 + n);
    }
    // the cached ones stay where statements point to them
    for (int i = 0; i < 64; ++i) {
        Statement st;
        EXPECT_EQ(cachedFor(st, meta, i % 2 ? sqlite : postgres, "shape" + std::to_string(i), compiles), kept[static_cast<std::size_t>(i)]);
        EXPECT_EQ(*kept[static_cast<std::size_t>(i)], std::string(i % 2 ? "sqlite" : "postgres") + ":shape" + std::to_string(i));
    }
    EXPECT_EQ(compiles, 66);
}

TEST(StatementCacheTest, CachedOnEveryThread) {
    const auto& meta = Widget<6>::meta();
    int compiles = 0;
    Statement here;
    const std::string* text = cachedFor(here, meta, postgres, "find", compiles);
    const std::string* there = nullptr;
    int theirCompiles = 0;
    std::thread t([&] {
        Statement st;
        there = cachedFor(st, meta, postgres, "find", theirCompiles);
    });
    t.join();
    EXPECT_EQ(there, text);
    EXPECT_EQ(theirCompiles, 0);
}

namespace {
template <class T, std::size_t N> bool inside(LocalBuffer<T, N>& b) {
    const auto* p = reinterpret_cast<const std::byte*>(b.data());
    const auto* self = reinterpret_cast<const std::byte*>(&b);
    return p >= self && p < self + sizeof b;
}
template <class T, std::size_t N> void expectHolds(LocalBuffer<T, N>& b, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) b.data()[i] = static_cast<T>(i * 3 + 1);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(b.data()[i], static_cast<T>(i * 3 + 1));
}
}  // namespace

TEST(LocalBufferTest, OnTheStackUpToN) {
    for (std::size_t n : {0, 1, 7, 8}) {
        LocalBuffer<std::size_t, 8> b(n);
        EXPECT_TRUE(inside(b)) << n;
        expectHolds(b, n);
    }
    for (std::size_t n : {9, 64, 10'000}) {
        LocalBuffer<std::size_t, 8> b(n);
        EXPECT_FALSE(inside(b)) << n;
        expectHolds(b, n);  // the sanitizer's bounds check the heap block holds n
    }
    LocalBuffer<char, 1> one(2);
    EXPECT_FALSE(inside(one));
    expectHolds(one, 2);
}

TEST(ReusedBindingsTest, StorageHandedFromCallToCall) {
    const Value* storage = nullptr;
    std::size_t capacity = 0;
    {
        Bindings b;
        ReusedBindings reused(b);
        for (int i = 0; i < 40; ++i) b.emplace_back(i);
        storage = b.data();
        capacity = b.capacity();
    }
    for (int call = 0; call < 3; ++call) {
        Bindings b{Value("left over")};
        ReusedBindings reused(b);
        EXPECT_TRUE(b.empty()) << "a call starts with no bindings";
        EXPECT_EQ(b.capacity(), capacity);
        b.emplace_back(call);
        EXPECT_EQ(b.data(), storage) << "the same storage, not a new allocation";
    }
}

TEST(ReusedBindingsTest, NestedCallUsesItsOwnAndTheLargerIsKept) {
    {
        Bindings warm;  // the spare holds something small
        ReusedBindings reused(warm);
        warm.emplace_back(1);
    }
    Bindings outer;
    const Value* outerStorage = nullptr;
    {
        ReusedBindings outerReuse(outer);
        for (int i = 0; i < 8; ++i) outer.emplace_back(i);
        outerStorage = outer.data();
        {
            Bindings inner;  // a hook's query while the outer call runs
            ReusedBindings innerReuse(inner);
            EXPECT_TRUE(inner.empty());
            for (int i = 0; i < 500; ++i) inner.emplace_back(-i);
            EXPECT_NE(inner.data(), outerStorage);
        }
        ASSERT_EQ(outer.size(), 8u) << "the nested call left the outer one's bindings alone";
        for (int i = 0; i < 8; ++i) EXPECT_EQ(outer[static_cast<std::size_t>(i)], Value(i));
        EXPECT_EQ(outer.data(), outerStorage);
    }
    Bindings next;
    ReusedBindings reused(next);
    EXPECT_GE(next.capacity(), 500u) << "the larger storage is the one kept";
}
