// Static fetchOrCreateMany/updateOrCreateMany: a constant number of statements for any number of rows.
#include <lucid/model_query.hpp>

#include "orm/fast/row_key.hpp"
#include "orm/model/column_values.hpp"
#include "orm/model/instances.hpp"
#include "orm/relations/common/clauses.hpp"

#include <unordered_map>
#include <unordered_set>

namespace lucid::detail {

namespace {
constexpr std::size_t kValuesPerSelect = 500;  // the IN list of one SELECT, well under both databases' binding limits
}

void manyByKey(const ModelMeta& meta, QueryClient* explicitClient, std::string_view key, const std::vector<void*>& rows, bool update,
               const char* what, std::vector<void*>& out, std::vector<std::shared_ptr<void>>& keep) {
    const ColumnMeta& kc = meta.columns[static_cast<std::size_t>(meta.findColumn(meta.resolveColumn(key)))];
    const std::vector<const ColumnMeta*> columns{&kc};
    Bindings wanted;  // distinct, in database form; a null key cannot be matched (Lucid refuses it too)
    std::unordered_map<RowKey, int, RowKeyHash, RowKeyEq> seen;
    for (void* row : rows) {
        if (kc.access->get(row).isNull())
            throw Error("E_MISSING_PREDICATE", "Value for the \"" + kc.property + "\" is null inside \"" + what + "\" payload");
        if (seen.try_emplace(keyOf(columns, row), 0).second) wanted.push_back(prepared(kc, row));
    }
    QueryClient& client = explicitClient ? *explicitClient : defaultClient(meta);
    auto run = [&](QueryClient& trx) {
        std::unordered_map<RowKey, void*, RowKeyHash, RowKeyEq> byKey;  // the first of equal rows, as Lucid's find()
        for (std::size_t start = 0; start < wanted.size(); start += kValuesPerSelect) {
            ModelQueryCore q(&meta, &trx);
            if (update) q.builder().forUpdate();  // the rows stay as read until they are written
            q.builder().whereIn(kc.column, Bindings(wanted.begin() + static_cast<std::ptrdiff_t>(start),
                                                    wanted.begin() + static_cast<std::ptrdiff_t>(std::min(wanted.size(), start + kValuesPerSelect))));
            for (auto& e : allRows(q)) {
                byKey.try_emplace(keyOf(columns, e.get()), e.get());
                keep.push_back(std::move(e));
            }
        }
        std::vector<void*> fresh, updated;
        std::unordered_set<void*> toUpdate;
        const std::vector<std::string> fixed{kc.property};
        out.clear();
        for (void* row : rows) {
            auto it = byKey.find(keyOf(columns, row));
            if (it == byKey.end()) {
                fresh.push_back(row);
                out.push_back(row);
                continue;
            }
            if (update) {
                copyColumns(meta, it->second, row, fixed);
                if (toUpdate.insert(it->second).second) updated.push_back(it->second);
            }
            out.push_back(it->second);
        }
        if (!fresh.empty()) createModels(meta, trx, fresh);
        if (!updated.empty()) updateModels(meta, trx, updated);  // an UPDATE only of rows where a column changed
    };
    if (client.transactionCore()) run(client);
    else client.transaction([&](Transaction& trx) { run(trx); });
}

}  // namespace lucid::detail
