#pragma once
// A small array on the stack, on the heap past N: the per-column scratch of save() and dirty().
#include <array>
#include <cstddef>
#include <vector>

namespace lucid::detail {

// n values of T: on the stack up to N, on the heap past that (most models have a few columns).
template <class T, std::size_t N> class LocalBuffer {
public:
    explicit LocalBuffer(std::size_t n) : heap_(n > N ? n : 0) {}
    T* data() noexcept { return heap_.empty() ? stack_.data() : heap_.data(); }

private:
    std::array<T, N> stack_;  // not value-initialized: callers write before they read
    std::vector<T> heap_;
};

}  // namespace lucid::detail

