// Integer keys (nearly every table's) go through an open-addressing table: one allocation for all the keys,
// where a node-based hash map of Values allocates one a key. Other keys compare as Values, loosely.
#include "orm/fast/key_chains.hpp"

#include "orm/fast/value_hash.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace lucid::detail {
namespace {

class IntKeyIndex {
public:
    static constexpr std::size_t kNone = SIZE_MAX;
    explicit IntKeyIndex(std::size_t expected) {
        const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, expected * 2));  // at most half full
        slots_.assign(capacity, Slot{0, kNone});
        shift_ = 64 - std::countr_zero(capacity);
    }
    // The value stored for `key`: `value` when the key is new (then `fresh` is true).
    std::size_t& insert(int64_t key, std::size_t value, bool& fresh) {
        Slot& s = slot(key);
        fresh = s.value == kNone;
        if (fresh) s = Slot{key, value};
        return s.value;
    }
    std::size_t find(int64_t key) const { return const_cast<IntKeyIndex*>(this)->slot(key).value; }

private:
    struct Slot {
        int64_t key;
        std::size_t value;
    };
    // Fibonacci hashing spreads consecutive ids; linear probing finds the key or the empty slot for it.
    Slot& slot(int64_t key) {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.value == kNone || s.key == key) return s;
        }
    }
    std::vector<Slot> slots_;
    int shift_ = 0;
};

bool intsOrNulls(const std::vector<Value>& keys) {
    return std::all_of(keys.begin(), keys.end(), [](const Value& v) { return v.kind() == Value::Kind::Int || v.isNull(); });
}
int64_t intOf(const Value& v) { return std::get<int64_t>(v.storage()); }

// Row indexes are inserted from the last row to the first, so each key's chain runs in row order.
template <class Index> KeyChains chain(const std::vector<Value>& parentKeys, const std::vector<Value>& rowKeys, Index& index) {
    KeyChains c;
    c.next.assign(rowKeys.size(), KeyChains::kEnd);
    for (std::size_t i = rowKeys.size(); i-- > 0;) {
        if (rowKeys[i].isNull()) continue;
        bool fresh = false;
        std::size_t& head = index.insert(rowKeys[i], i, fresh);
        if (!fresh) c.next[i] = std::exchange(head, i);
    }
    c.heads.reserve(parentKeys.size());
    for (const Value& k : parentKeys) c.heads.push_back(k.isNull() ? KeyChains::kEnd : index.find(k));
    return c;
}

struct IntIndex {
    IntKeyIndex index;
    std::size_t& insert(const Value& k, std::size_t i, bool& fresh) { return index.insert(intOf(k), i, fresh); }
    std::size_t find(const Value& k) const { return index.find(intOf(k)); }
};
struct ValueIndex {
    std::unordered_map<Value, std::size_t, ValueHash, ValueEq> map;
    std::size_t& insert(const Value& k, std::size_t i, bool& fresh) {
        auto [it, added] = map.try_emplace(k, i);
        fresh = added;
        return it->second;
    }
    std::size_t find(const Value& k) const {
        auto it = map.find(k);
        return it == map.end() ? KeyChains::kEnd : it->second;
    }
};
static_assert(IntKeyIndex::kNone == KeyChains::kEnd);

}  // namespace

Bindings distinctKeys(const std::vector<Value>& keys) {
    Bindings out;
    out.reserve(keys.size());
    if (intsOrNulls(keys)) {
        IntKeyIndex seen(keys.size());
        for (const Value& k : keys) {
            bool fresh = false;
            if (!k.isNull()) seen.insert(intOf(k), 0, fresh);
            if (fresh) out.push_back(k);
        }
        return out;
    }
    ValueIndex seen;
    for (const Value& k : keys) {
        bool fresh = false;
        if (!k.isNull()) seen.insert(k, 0, fresh);
        if (fresh) out.push_back(k);
    }
    return out;
}

KeyChains chainKeys(const std::vector<Value>& parentKeys, const std::vector<Value>& rowKeys) {
    if (intsOrNulls(parentKeys) && intsOrNulls(rowKeys)) {
        IntIndex index{IntKeyIndex(rowKeys.size())};
        return chain(parentKeys, rowKeys, index);
    }
    ValueIndex index;
    index.map.reserve(rowKeys.size());
    return chain(parentKeys, rowKeys, index);
}

}  // namespace lucid::detail
