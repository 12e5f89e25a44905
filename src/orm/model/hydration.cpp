// Rows into model instances: the sink that streams a statement's rows into fields, originals and extras.
#include "orm/model/hydration.hpp"

#include <lucid/model_query.hpp>

#include "database/transaction_core.hpp"
#include "orm/model/column_values.hpp"
#include "sql/compiler.hpp"
#include "orm/model/instances.hpp"

namespace lucid::detail {

void hydrateCells(const ModelMeta& meta, const std::vector<std::string>& columns, const Cell* cells, const ColumnMap& map, void* model,
                  OriginalsArena& arena) {
    ModelState& st = meta.state(model);
    if (!st.persisted()) st.setFetched();  // a new instance for the row (refresh() keeps what a model is)
    st.extras.clear();
    std::size_t bytes = 0;  // of the model's text and blob cells, to size their originals
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const int k = map.toModel[i];
        if (k < 0) {
            st.extras.add(columns[i], cells[i].value());
            continue;
        }
        if (map.fromResult[static_cast<std::size_t>(k)] == static_cast<int>(i)) bytes += cells[i].bytes.size();  // once a column
        const FieldAccess* reader = map.readers[i];
        try {
            if (reader) {
                reader->read(model, cells[i]);
            } else {
                const ColumnMeta& c = meta.columns[static_cast<std::size_t>(k)];
                c.access->set(model, fromDatabase(c, cells[i].value()));
            }
        } catch (const TypeError& e) {
            rethrowForColumn(meta, meta.columns[static_cast<std::size_t>(k)], e);
        }
    }
    if (map.complete) {
        st.original.assign(cells, map.fromResult.data(), map.fromResult.size(), bytes, arena);
    } else {
        // columns the query did not select keep what the instance holds as their original
        const std::size_t m = meta.columns.size();
        std::vector<Value> held(m);
        std::vector<Cell> original(m);
        for (std::size_t k = 0; k < m; ++k) {
            const int i = map.fromResult[k];
            if (i >= 0) original[k] = cells[i];
            else original[k] = Cell::of(held[k] = prepared(meta.columns[k], model));
        }
        st.original.assign(original.data(), m);
    }
    st.setPersisted(true);
    st.setDeleted(false);
}

ModelSink::ModelSink(const ModelMeta& meta, QueryClient& client, void* (*next)(void*), void* context, void (*reserve)(void*, std::size_t))
    : meta_(meta), client_(client), inTrx_(client.transactionCore() != nullptr), next_(next), reserve_(reserve), context_(context) {
    if (inTrx_) trx_.setTrx(client.transactionCore());
}

void ModelSink::begin(const std::vector<std::string>& columns, std::size_t rows, uint64_t shape) {
    columns_ = &columns;
    map_ = &shapes_.resolve(meta_, columns, shape);
    if (rows && reserve_) reserve_(context_, rows);
}

void ModelSink::row(const Cell* cells) {
    void* m = next_(context_);
    hydrateCells(meta_, *columns_, cells, *map_, m, arena_);
    ModelState& st = meta_.state(m);
    if (inTrx_) st.shareTrx(trx_);
    else st.setClient(&client_);
}

Statement selectStatement(ModelQueryCore& q, QueryClient& c) {
    q.seal();
    Statement st = compileSelect(q.addsColumns() ? q.selecting().state() : q.builder().state(), c.dialect());
    st.model = q.meta().name;
    return st;
}

void streamModels(ModelQueryCore& q, QueryClient& c, RowSink& sink) { c.stream(selectStatement(q, c), sink); }

void hydrateRows(const ModelMeta& meta, const Result& r, void* first, std::size_t stride, QueryClient& client) {
    struct Slots {
        char* next;
        std::size_t stride;
        static void* take(void* self) {
            auto& s = *static_cast<Slots*>(self);
            return std::exchange(s.next, s.next + s.stride);
        }
    } slots{static_cast<char*>(first), stride};
    ModelSink sink(meta, client, &Slots::take, &slots);
    feed(r, sink);
}

}  // namespace lucid::detail
