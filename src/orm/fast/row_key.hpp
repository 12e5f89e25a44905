#pragma once
// A row's values on some columns as one hash-map key: how fetch/updateOrCreateMany match payload rows to rows read.
#include <lucid/detail/model_meta.hpp>

#include "orm/fast/value_hash.hpp"

#include <vector>

namespace lucid::detail {

using RowKey = std::vector<Value>;
struct RowKeyHash {
    std::size_t operator()(const RowKey& k) const noexcept {
        std::size_t h = k.size();
        for (const Value& v : k) h ^= v.hash() + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        return h;
    }
};
struct RowKeyEq {
    bool operator()(const RowKey& a, const RowKey& b) const {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!ValueEq{}(a[i], b[i])) return false;
        return true;
    }
};

inline RowKey keyOf(const std::vector<const ColumnMeta*>& columns, const void* model) {
    RowKey k;
    k.reserve(columns.size());
    for (const ColumnMeta* c : columns) k.push_back(c->access->get(model));
    return k;
}

}  // namespace lucid::detail
