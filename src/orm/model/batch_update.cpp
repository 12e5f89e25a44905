// updateModels(): the changed columns of many persisted instances in one UPDATE per batch, with the
// hooks and dirty tracking of save().
#include <lucid/model_query.hpp>

#include "orm/fast/local_buffer.hpp"
#include "orm/model/column_values.hpp"
#include "orm/model/instances.hpp"
#include "sql/compiler.hpp"

#include <algorithm>
#include <optional>
#include <unordered_set>

namespace lucid::detail {

namespace {

// Rows per UPDATE: in a CASE (PostgreSQL) every row tries the branches in turn, so a statement costs rows².
constexpr std::size_t kRowsPerUpdate = 500;

struct Pending {
    void* model;
    std::vector<std::size_t> dirty;  // column indexes
    Bindings written;                // their new values, in database form
    Bindings key;                    // the row as it was read
};

// The original of a column (database form): what an UPDATE that changes it not writes back.
Value originalOf(const ModelMeta& meta, const void* model, std::size_t i) {
    const ModelState& st = meta.cstate(model);
    return i < st.original.size() ? st.original.value(i) : prepared(meta.columns[i], model);
}

Bindings originalKey(const ModelMeta& meta, const void* model) {
    Bindings key;
    for (int k : meta.keys) key.push_back(originalOf(meta, model, static_cast<std::size_t>(k)));
    return key;
}

// One UPDATE per batch: up to kRowsPerUpdate rows, within the bind limit, each statement setting only
// the columns its rows change.
void writeBatches(const ModelMeta& meta, QueryClient& client, const std::vector<Pending>& pending) {
    std::vector<std::string> keys;
    for (int k : meta.keys) keys.push_back(meta.columns[static_cast<std::size_t>(k)].column);
    const Dialect& d = client.dialect();
    std::size_t start = 0;
    while (start < pending.size()) {
        // the batch's rows and the columns they change, in column order
        std::vector<bool> used(meta.columns.size(), false);
        std::size_t end = start, usedCount = 0;
        for (; end < pending.size() && end - start < kRowsPerUpdate; ++end) {
            std::size_t more = 0;
            for (std::size_t i : pending[end].dirty) more += used[i] ? 0 : 1;
            // whole rows (VALUES) or a key and a value per change (CASE): within both, by the larger
            const std::size_t rows = end - start + 1, columns = usedCount + more;
            const std::size_t bindings = std::max(rows * (keys.size() + columns), rows * (keys.size() + 1) * columns + rows * keys.size());
            if (end > start && bindings > d.maxBindings()) break;
            for (std::size_t i : pending[end].dirty) used[i] = true;
            usedCount += more;
        }
        std::vector<std::size_t> columnIndexes;
        std::vector<std::string> columns;
        for (std::size_t i = 0; i < used.size(); ++i)
            if (used[i]) {
                columnIndexes.push_back(i);
                columns.push_back(meta.columns[i].column);
            }
        std::vector<KeyedRowUpdate> rows;
        rows.reserve(end - start);
        for (std::size_t r = start; r < end; ++r) {
            const Pending& p = pending[r];
            KeyedRowUpdate row{p.key, {}, std::vector<bool>(columns.size(), false)};
            for (std::size_t c = 0; c < columnIndexes.size(); ++c) {
                const auto at = std::find(p.dirty.begin(), p.dirty.end(), columnIndexes[c]);
                row.changed[c] = at != p.dirty.end();
                row.values.push_back(row.changed[c] ? p.written[static_cast<std::size_t>(at - p.dirty.begin())]
                                                    : originalOf(meta, p.model, columnIndexes[c]));
            }
            rows.push_back(std::move(row));
        }
        Statement st = compileKeyedUpdate(meta.table, keys, columns, rows, d);
        st.model = meta.name;
        client.execute(st);
        start = end;
    }
}

// Only the written columns changed: they become the originals (already in database form).
void keepWritten(const ModelMeta& meta, const Pending& p) {
    ModelState& st = meta.state(p.model);
    if (st.original.size() != meta.columns.size()) {
        markPersisted(meta, p.model);
        return;
    }
    std::vector<Cell> was(meta.columns.size());
    st.original.read(was.data(), was.size());
    for (std::size_t k = 0; k < p.dirty.size(); ++k) was[p.dirty[k]] = Cell::of(p.written[k]);
    st.original.assign(was.data(), was.size());
}

}  // namespace

void updateModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models) {
    std::vector<ModelSnapshot> snapshots;
    std::unordered_set<void*> seen;
    for (void* m : models)
        if (seen.insert(m).second) snapshots.emplace_back(meta, m);
    try {
        std::vector<Pending> pending;
        std::optional<DateTime> t;  // one time for every row
        LocalBuffer<std::size_t, 32> dirtyColumns(meta.columns.size());
        std::size_t* const dirty = dirtyColumns.data();
        seen.clear();
        for (void* m : models) {
            if (!seen.insert(m).second) continue;
            meta.runHooks(Hook::BeforeUpdate, m);
            meta.runHooks(Hook::BeforeSave, m);
            const ModelState& st = meta.cstate(m);
            std::vector<Cell> was(st.original.size());
            st.original.read(was.data(), was.size());
            const std::size_t n = updatedColumns(meta, m, was.data(), was.size(), dirty, t);
            if (n == 0) continue;  // as save(): no statement and no after-hooks
            Pending p{m, std::vector<std::size_t>(dirty, dirty + n), {}, originalKey(meta, m)};
            for (std::size_t i : p.dirty) p.written.push_back(written(meta, meta.columns[i], m));
            pending.push_back(std::move(p));
        }
        if (pending.empty()) return;  // nothing changed: not even a transaction
        // the UPDATEs and the after-hooks together: a hook that throws leaves every row as it was
        client.transaction([&](Transaction& trx) {
            writeBatches(meta, trx, pending);
            for (const Pending& p : pending) keepWritten(meta, p);
            for (const Pending& p : pending) {
                meta.runHooks(Hook::AfterUpdate, p.model);
                meta.runHooks(Hook::AfterSave, p.model);
            }
        });
    } catch (...) {
        for (auto& s : snapshots) s.restore();
        throw;
    }
}

}  // namespace lucid::detail
