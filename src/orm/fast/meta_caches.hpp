#pragma once
// What a model's descriptor caches as it is used: compiled SQL per statement shape and dialect, column
// maps per result shape. Filled under one mutex; entries never move, so statements may point into them.
#include <lucid/detail/model_meta.hpp>

#include "database/statement.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace lucid::detail {

class Dialect;

// How a result's columns fill a model: computed once per result shape (column names).
struct ColumnMap {
    std::vector<int> toModel;     // per result column: the model column it fills, or -1 (an extra)
    std::vector<const FieldAccess*> readers;  // per result column: its field, when it is read without consume()
    std::vector<int> fromResult;  // per model column: the result column that holds it, or -1
    bool complete = false;        // every model column is in the result
};
using ColumnMapPtr = std::shared_ptr<const ColumnMap>;

struct MetaCaches {
    struct CachedSql {
        const Dialect* dialect;
        std::string shape;
        Statement compiled;  // its SQL and how it may be run; no bindings
    };
    std::mutex mutex;
    std::vector<std::unique_ptr<const CachedSql>> sql;  // entries never move nor go: statements point to them
    std::vector<std::pair<std::vector<std::string>, ColumnMapPtr>> columnMaps;  // result columns -> map
};

}  // namespace lucid::detail
