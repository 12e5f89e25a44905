#pragma once
// One Bindings vector's storage handed from call to call on a thread (find and save in a loop allocate none).
#include <lucid/value.hpp>

#include "orm/fast/thread_cache.hpp"

#include <utility>

namespace lucid::detail {

// The bindings of a statement run in a loop (find, save): each thread hands one vector's storage from a call
// to the next instead of allocating one a call. A call made meanwhile (from a hook) simply allocates its own.
class ReusedBindings {
public:
    explicit ReusedBindings(Bindings& into) : into_(into) {
        if (Bindings* spare = threadCache<Bindings>()) into_ = std::move(*spare);
        into_.clear();
    }
    ~ReusedBindings() {
        into_.clear();
        Bindings* spare = threadCache<Bindings>();
        if (spare && spare->capacity() < into_.capacity()) *spare = std::move(into_);
    }
    ReusedBindings(const ReusedBindings&) = delete;
    ReusedBindings& operator=(const ReusedBindings&) = delete;

private:
    Bindings& into_;
};

}  // namespace lucid::detail
