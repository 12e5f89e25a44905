// The test program's operator new and delete: malloc and free, counted (sanitizers still see malloc).
#include "fast_paths/live_allocations.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> live{0};
}

namespace fast_paths {
long liveAllocations() noexcept { return live.load(std::memory_order_relaxed); }
}  // namespace fast_paths

void* operator new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    live.fetch_add(1, std::memory_order_relaxed);
    return p;
}
void operator delete(void* p) noexcept {
    if (!p) return;
    live.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
