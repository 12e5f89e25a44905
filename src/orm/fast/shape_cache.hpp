#pragma once
// Which model column each result column fills, per result shape: kept on the model, and the last shape a
// thread met kept without a lock, so a statement run in a loop (find, first) maps its columns once.
#include "orm/fast/meta_caches.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace lucid::detail {

// For each result column, the model column it fills (-1: an extra); cached per result shape on the model.
ColumnMapPtr columnMap(const ModelMeta& meta, const std::vector<std::string>& columns);

// The column maps one row sink uses. Only the outermost sink of a thread (no other alive on it) replaces
// the thread's last shape, so that sink may use it without holding a reference; a nested one holds its own.
class SinkShapes {
public:
    SinkShapes() noexcept;
    ~SinkShapes();
    SinkShapes(const SinkShapes&) = delete;
    SinkShapes& operator=(const SinkShapes&) = delete;

    // `shape`: the driver's identifier of these column names, or 0 when it has none.
    const ColumnMap& resolve(const ModelMeta& meta, const std::vector<std::string>& columns, uint64_t shape);

private:
    ColumnMapPtr held_;  // the map in use, unless it is the thread's last shape and this the outermost sink
};

}  // namespace lucid::detail
