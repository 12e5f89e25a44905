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

// Rows per UPDATE: every row's CASE branch is tried in turn, so a statement's cost grows with rows².
constexpr std::size_t kRowsPerUpdate = 500;

struct Pending {
    void* model;
    std::vector<std::size_t> dirty;  // column indexes
    KeyedRowUpdate row;               // its values, `set` indexed into the statement's columns
};

// The row as it was read: the original of each key column
Bindings originalKey(const ModelMeta& meta, const void* model) {
    const ModelState& st = meta.cstate(model);
    Bindings key;
    for (int k : meta.keys) {
        const auto i = static_cast<std::size_t>(k);
        key.push_back(i < st.original.size() ? st.original.value(i) : prepared(meta.columns[i], model));
    }
    return key;
}

void writeBatches(const ModelMeta& meta, QueryClient& client, std::vector<Pending>& pending) {
    std::vector<int> position(meta.columns.size(), -1);  // column index -> place among the SET columns
    std::vector<std::string> columns, keys;
    for (int k : meta.keys) keys.push_back(meta.columns[static_cast<std::size_t>(k)].column);
    for (Pending& p : pending) {
        for (std::size_t k = 0; k < p.dirty.size(); ++k) {
            int& at = position[p.dirty[k]];
            if (at < 0) {
                at = static_cast<int>(columns.size());
                columns.push_back(meta.columns[p.dirty[k]].column);
            }
            p.row.set[k].first = static_cast<std::size_t>(at);
        }
    }
    const Dialect& d = client.dialect();
    std::size_t start = 0;
    while (start < pending.size()) {
        std::vector<KeyedRowUpdate> rows;
        std::size_t bindings = 0;
        for (std::size_t i = start; i < pending.size() && rows.size() < kRowsPerUpdate; ++i) {
            const std::size_t cost = pending[i].row.set.size() * (keys.size() + 1) + keys.size();
            if (!rows.empty() && bindings + cost > d.maxBindings()) break;
            bindings += cost;
            rows.push_back(pending[i].row);
        }
        start += rows.size();
        // only the columns these rows set
        std::vector<std::string> used;
        std::vector<int> renumber(columns.size(), -1);
        for (KeyedRowUpdate& r : rows)
            for (auto& [column, value] : r.set) {
                if (renumber[column] < 0) {
                    renumber[column] = static_cast<int>(used.size());
                    used.push_back(columns[column]);
                }
                column = static_cast<std::size_t>(renumber[column]);
            }
        Statement st = compileKeyedUpdate(meta.table, keys, used, rows, d);
        st.model = meta.name;
        client.execute(st);
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
    for (std::size_t k = 0; k < p.dirty.size(); ++k) was[p.dirty[k]] = Cell::of(p.row.set[k].second);
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
            Pending p{m, std::vector<std::size_t>(dirty, dirty + n), {originalKey(meta, m), {}}};
            for (std::size_t i : p.dirty) p.row.set.emplace_back(0, written(meta, meta.columns[i], m));
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
