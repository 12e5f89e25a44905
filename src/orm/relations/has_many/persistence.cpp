// hasMany's persistence of lists: saveMany, and fetch/updateOrCreateMany matched through a hash of the keys.
#include <lucid/detail/relation_persistence.hpp>

#include "orm/fast/row_key.hpp"
#include "orm/model/instances.hpp"
#include "orm/relations/common/clauses.hpp"
#include "orm/relations/common/persist.hpp"

#include <unordered_map>

namespace lucid::detail {

namespace has_many {

void saveMany(Relation& r, void* parent, const std::vector<void*>& related) {
    const ModelMeta& rm = r.related();
    std::vector<std::pair<const ModelMeta*, void*>> models;
    models.reserve(related.size());
    for (void* m : related) models.emplace_back(&rm, m);
    persistTogether(*r.owner, parent, std::move(models), [&](Transaction&) {
        saveModel(*r.owner, parent);
        for (void* m : related) {
            copyKeyToRelated(r, parent, m);
            saveModel(rm, m);
        }
    });
}

void manyByKeys(Relation& r, void* parent, const std::vector<void*>& rows, const std::vector<std::string>& keys, bool update,
                void* out, void (*append)(void*, const void*)) {
    if (keys.empty()) throw Error("E_MISSING_PREDICATE", "fetchOrCreateMany/updateOrCreateMany need at least one key to match on");
    const ModelMeta& rm = r.related();
    std::vector<const ColumnMeta*> columns;
    for (const auto& k : keys) columns.push_back(&rm.column(k));  // unknown keys fail before any query
    persistTogether(*r.owner, parent, {}, [&](Transaction& trx) {
        saveModel(*r.owner, parent);
        ModelQueryCore q = r.relatedQuery(trx, parent);
        std::vector<std::shared_ptr<void>> existing = allRows(q);
        std::unordered_map<RowKey, void*, RowKeyHash, RowKeyEq> byKey;  // the last of equal rows wins
        byKey.reserve(existing.size());
        for (const auto& e : existing) byKey.insert_or_assign(keyOf(columns, e.get()), e.get());
        const std::vector<std::string> fixed{r.relatedKey->property};
        std::vector<void*> result, fresh, updated;  // in payload order; the new rows; the matched rows
        for (void* row : rows) {
            auto it = byKey.find(keyOf(columns, row));
            if (it == byKey.end()) {
                rm.state(row).setTrx(trx.transactionCore());
                copyKeyToRelated(r, parent, row);
                fresh.push_back(row);
                result.push_back(row);
                continue;
            }
            if (update) {
                copyColumns(rm, it->second, row, fixed);
                r.tagRelated(it->second);  // a morph's type column is the parent's, whatever the payload says
                updated.push_back(it->second);
            }
            result.push_back(it->second);
        }
        // one INSERT and one UPDATE per batch of rows, whatever their number
        if (!fresh.empty()) createModels(rm, trx, fresh);
        if (!updated.empty()) updateModels(rm, trx, updated);
        for (void* m : result) append(out, m);
    });
}

}  // namespace has_many
}  // namespace lucid::detail
