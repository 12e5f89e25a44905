// createMany(): one transaction, multi-row INSERTs when no hook must run between the rows.
#include <lucid/model_query.hpp>
#include <lucid/detail/relation.hpp>

#include "orm/model/column_values.hpp"
#include "sql/compiler.hpp"
#include "orm/model/instances.hpp"

#include <algorithm>

namespace lucid::detail {

namespace {
bool hasHook(const ModelMeta& meta, Hook h) { return !meta.hooks[static_cast<std::size_t>(h)].empty(); }

// Rows that a multi-row INSERT can write: fresh instances, and a primary key that is either given in
// every row or assigned by the database as an integer in every row.
bool batchable(const ModelMeta& meta, const std::vector<void*>& models) {
    if (models.size() < 2) return false;
    const ColumnMeta& pk = meta.columns[static_cast<std::size_t>(meta.primary)];
    const bool firstUnset = !meta.compositeKey() && pk.access->isUnset(models[0]);  // a composite key is always given
    for (void* m : models) {
        const ModelState& st = meta.cstate(m);
        if (st.persisted() || st.deleted() || (!meta.compositeKey() && pk.access->isUnset(m) != firstUnset)) return false;
    }
    return !firstUnset || pk.access->get(meta.defaults).kind() == Value::Kind::Int;
}

void insertBatch(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models) {
    const ColumnMeta& pk = meta.columns[static_cast<std::size_t>(meta.primary)];
    const bool assignKeys = !meta.compositeKey() && pk.access->isUnset(models[0]);
    const DateTime t = writeTime();
    std::vector<std::size_t> cols;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < meta.columns.size(); ++i) {
        if (assignKeys && static_cast<int>(i) == meta.primary) continue;
        cols.push_back(i);
        names.push_back(meta.columns[i].column);
    }
    const Dialect& d = client.dialect();
    const std::size_t perStatement = std::max<std::size_t>(1, d.maxBindings() / std::max<std::size_t>(1, cols.size()));
    for (std::size_t start = 0; start < models.size(); start += perStatement) {
        const std::size_t end = std::min(models.size(), start + perStatement);
        std::vector<Bindings> rows;
        rows.reserve(end - start);
        for (std::size_t k = start; k < end; ++k) {
            void* m = models[k];
            stampNewRow(meta, m, t);
            Bindings row;
            row.reserve(cols.size());
            for (std::size_t i : cols) row.push_back(written(meta, meta.columns[i], m));
            rows.push_back(std::move(row));
        }
        Statement st = compileInsert(meta.table, names, rows, assignKeys ? pk.column : "", d);
        st.model = meta.name;
        Result r = client.execute(st);
        if (assignKeys) {
            // keys are allocated in the order of the VALUES rows, whatever order RETURNING lists them in
            if (r.size() != end - start) throw Error("E_INSERT_MISMATCH", "a multi-row INSERT returned " + std::to_string(r.size()) +
                                                                          " keys for " + std::to_string(end - start) + " rows");
            std::vector<int64_t> ids;
            ids.reserve(r.size());
            for (std::size_t i = 0; i < r.size(); ++i) ids.push_back(r[i].at(0).as<int64_t>());
            std::sort(ids.begin(), ids.end());
            for (std::size_t k = start; k < end; ++k) pk.access->set(models[k], Value(ids[k - start]));
        }
        for (std::size_t k = start; k < end; ++k) {
            meta.state(models[k]).setPersisted(true);
            markPersisted(meta, models[k]);
        }
    }
}
}  // namespace

void createModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models) {
    std::vector<ModelSnapshot> snapshots;
    snapshots.reserve(models.size());
    for (void* m : models) snapshots.emplace_back(meta, m);
    try {
        client.transaction([&](Transaction& trx) {
            ModelState in;
            in.setTrx(trx.transactionCore());
            for (void* m : models) meta.state(m).shareTrx(in);
            const bool before = hasHook(meta, Hook::BeforeCreate) || hasHook(meta, Hook::BeforeSave);
            const bool anyDeleted = std::any_of(models.begin(), models.end(), [&](void* m) { return meta.cstate(m).deleted(); });
            if (models.size() < 2 || anyDeleted || (!before && !batchable(meta, models))) {  // save() refuses a deleted one
                for (void* m : models) saveModel(meta, m);
                return;
            }
            // every row's before-hooks first (they may give the key), then one INSERT per batch, then
            // every row's after-hooks, all in this transaction
            if (before)
                for (void* m : models) {
                    if (meta.state(m).persisted()) continue;
                    meta.runHooks(Hook::BeforeCreate, m);
                    meta.runHooks(Hook::BeforeSave, m);
                }
            if (!batchable(meta, models)) {
                for (void* m : models) {
                    if (meta.state(m).persisted()) saveModel(meta, m);
                    else insertAfterBeforeHooks(meta, m, trx);
                }
                return;
            }
            insertBatch(meta, trx, models);
            for (void* m : models) {
                meta.runHooks(Hook::AfterCreate, m);
                meta.runHooks(Hook::AfterSave, m);
            }
        });
    } catch (...) {
        for (auto& s : snapshots) s.restore();
        throw;
    }
}

}  // namespace lucid::detail
