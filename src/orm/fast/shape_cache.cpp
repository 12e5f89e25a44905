// The column map of a result shape: the thread's last one, else the model's cache, else computed.
#include "orm/fast/shape_cache.hpp"

#include "orm/fast/thread_cache.hpp"

#include <algorithm>
#include <mutex>

namespace lucid::detail {

ColumnMapPtr columnMap(const ModelMeta& meta, const std::vector<std::string>& columns) {
    // A model meets the same few result shapes again and again: each is mapped once.
    std::lock_guard lock(meta.caches->mutex);
    for (const auto& [names, map] : meta.caches->columnMaps)
        if (names == columns) return map;
    auto map = std::make_shared<ColumnMap>();
    map->toModel.resize(columns.size());
    map->readers.assign(columns.size(), nullptr);
    map->fromResult.assign(meta.columns.size(), -1);
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int k = map->toModel[i] = meta.findColumn(columns[i]);
        if (k < 0) continue;
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(k)];
        if (!c.options.consume && c.options.scale < 0) map->readers[i] = c.access.get();
        map->fromResult[static_cast<std::size_t>(k)] = static_cast<int>(i);
    }
    map->complete = std::find(map->fromResult.begin(), map->fromResult.end(), -1) == map->fromResult.end();
    constexpr std::size_t kShapes = 32;
    if (meta.caches->columnMaps.size() >= kShapes) meta.caches->columnMaps.erase(meta.caches->columnMaps.begin());
    meta.caches->columnMaps.emplace_back(columns, map);
    return map;
}

namespace {
struct LastShape {
    const ModelMeta* meta = nullptr;
    uint64_t shape = 0;
    ColumnMapPtr map;
};
thread_local int liveSinks = 0;
}  // namespace

SinkShapes::SinkShapes() noexcept { ++liveSinks; }
SinkShapes::~SinkShapes() { --liveSinks; }

const ColumnMap& SinkShapes::resolve(const ModelMeta& meta, const std::vector<std::string>& columns, uint64_t shape) {
    LastShape* last = threadCache<LastShape>();
    if (last && shape && last->shape == shape && last->meta == &meta) {
        if (liveSinks != 1) held_ = last->map;  // a nested sink may outlive an outer one's change of it
        return *last->map;
    }
    held_ = columnMap(meta, columns);
    if (last && shape && liveSinks == 1) *last = {&meta, shape, held_};
    return *held_;
}

}  // namespace lucid::detail
