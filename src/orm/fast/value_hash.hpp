#pragma once
// Hash maps keyed by Value: keys compare loosely (1 == 1.0 == true), as Lucid matches keys.
#include <lucid/value.hpp>

#include <cstddef>

namespace lucid::detail {

struct ValueHash {
    std::size_t operator()(const Value& v) const noexcept { return v.hash(); }
};
struct ValueEq {
    bool operator()(const Value& a, const Value& b) const { return a.looselyEquals(b); }
};

}  // namespace lucid::detail
