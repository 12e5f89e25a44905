#pragma once
// The untyped halves of chunk()/each() (a walk by primary key) and cursor() (one statement's rows pulled
// one at a time), defined in src/orm/model/large_results.cpp.
#include <lucid/detail/model_query_core.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace lucid::detail {

// chunk(): pages of the query by primary key, each after the last key of the one before (keyset), so rows
// added or removed meanwhile are neither skipped nor repeated. The query's limit bounds the whole walk and
// its offset applies to the first page; its order is replaced by the key's.
class KeysetWalk {
public:
    KeysetWalk(const ModelQueryCore& query, int64_t size);  // throws lucid::Error for a size below 1
    ModelQueryCore page() const;                             // the next page's query
    // After a page of `rows` rows whose last is `last`: whether another page may follow (a short page ends the walk).
    bool next(std::size_t rows, const void* last);

private:
    ModelQueryCore query_;
    int64_t size_;
    std::optional<int64_t> remaining_;  // the query's limit, less the rows walked
    std::optional<Value> after_;        // the last key walked
};

struct CursorState;  // the statement's reader and the sink hydrating its rows
// cursor(): runs the query's statement and hydrates its rows one at a time, as asked.
class CursorCore {
public:
    explicit CursorCore(ModelQueryCore& query);  // beforeFetch hooks, then the statement; throws for a query with preloads
    ~CursorCore();
    CursorCore(CursorCore&&) noexcept;
    CursorCore& operator=(CursorCore&&) noexcept;
    // The next row into `model` (a new instance); false at the end, where the statement's connection is given back.
    bool next(void* model);

private:
    std::unique_ptr<CursorState> s_;
};

}  // namespace lucid::detail
