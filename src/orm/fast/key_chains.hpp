#pragma once
// Matching a preload's rows to their parents by key, without a query per parent.
#include <lucid/value.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lucid::detail {

struct KeyChains {
    static constexpr std::size_t kEnd = SIZE_MAX;
    std::vector<std::size_t> heads;  // per parent: its first row, or kEnd
    std::vector<std::size_t> next;   // per row: the next row with the same key, or kEnd
};

// The distinct keys that are not null, in the order first met.
Bindings distinctKeys(const std::vector<Value>& keys);

// Each parent's rows (in row order): rows whose key loosely equals the parent's; a null key matches nothing.
KeyChains chainKeys(const std::vector<Value>& parentKeys, const std::vector<Value>& rowKeys);

}  // namespace lucid::detail
