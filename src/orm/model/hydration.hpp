#pragma once
// Rows into model instances: a row sink that fills the instance its caller provides for each row.
#include <lucid/detail/model_ops.hpp>

#include "orm/fast/shape_cache.hpp"

namespace lucid::detail {

// Hydrates each streamed row into the instance that next(context) provides, linking it to the client's
// transaction or connection.
class ModelSink final : public RowSink {
public:
    ModelSink(const ModelMeta& meta, QueryClient& client, void* (*next)(void*), void* context,
              void (*reserve)(void*, std::size_t) = nullptr);
    ModelSink(const ModelSink&) = delete;
    ModelSink& operator=(const ModelSink&) = delete;

    void begin(const std::vector<std::string>& columns, std::size_t rows, uint64_t shape) override;
    void row(const Cell* cells) override;

private:
    const ModelMeta& meta_;
    QueryClient& client_;
    bool inTrx_;
    ModelState trx_;  // holds the transaction the rows share
    void* (*next_)(void*);
    void (*reserve_)(void*, std::size_t);
    void* context_;
    const std::vector<std::string>* columns_ = nullptr;
    const ColumnMap* map_ = nullptr;
    SinkShapes shapes_;
    OriginalsArena arena_;
};

// A sink's context for at most one row, hydrated into `out`.
struct OneRow {
    void* out;
    bool found = false;
    static void* next(void* self) {
        auto& o = *static_cast<OneRow*>(self);
        o.found = true;
        return o.out;
    }
};

// The query's SELECT (its relation columns added), compiled for `c`; streamModels: its rows into `sink`.
Statement selectStatement(ModelQueryCore& q, QueryClient& c);
void streamModels(ModelQueryCore& q, QueryClient& c, RowSink& sink);

}  // namespace lucid::detail
