#pragma once
// Cursor<T>: what ModelQuery<T>::cursor() returns, an input range over one statement's rows, each
// hydrated as the loop reaches it. Leaving the loop early ends the statement and frees its connection.
#include <lucid/detail/large_results.hpp>

#include <cstddef>
#include <iterator>

namespace lucid {

template <class T> class Cursor {
public:
    explicit Cursor(detail::ModelQueryCore& query) : core_(query) {}

    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = T;
        using difference_type = std::ptrdiff_t;
        using reference = T&;
        using pointer = T*;

        iterator() = default;
        T& operator*() const { return c_->current_; }
        T* operator->() const { return &c_->current_; }
        iterator& operator++() {
            if (!c_->advance()) c_ = nullptr;
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& i, std::default_sentinel_t) { return i.c_ == nullptr; }

    private:
        friend class Cursor;
        explicit iterator(Cursor* c) : c_(c) {}
        Cursor* c_ = nullptr;
    };

    // Single pass: begin() again goes on from the current row.
    iterator begin() {
        if (!started_) advance();
        return iterator(done_ ? nullptr : this);
    }
    std::default_sentinel_t end() const { return {}; }

private:
    bool advance() {
        started_ = true;
        current_ = T{};
        done_ = !core_.next(&current_);
        return !done_;
    }
    detail::CursorCore core_;
    T current_{};
    bool started_ = false, done_ = false;
};

}  // namespace lucid
