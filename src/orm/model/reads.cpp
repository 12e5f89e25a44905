// find() by primary key through the statement cache, and refresh().
#include <lucid/model_query.hpp>

#include "orm/fast/reused_bindings.hpp"
#include "orm/fast/statement_cache.hpp"
#include "orm/model/hydration.hpp"
#include "sql/compiler.hpp"
#include "orm/model/instances.hpp"

namespace lucid::detail {

bool findInto(const ModelMeta& meta, QueryClient* explicitClient, Value id, void* out) {
    QueryClient& client = explicitClient ? *explicitClient : defaultClient(meta);
    if (!meta.beforeFind.empty()) {  // the hooks need a query to shape: the general path
        ModelQueryCore q(&meta, &client);
        q.builder().where(meta.primaryColumn().column, std::move(id));
        return q.firstInto(out);
    }
    Statement st;
    useCachedSql(st, meta, client.dialect(), "find", [&](const Dialect& d) {
        ModelQueryCore q(&meta, nullptr);  // with the model's own scope (soft deletes), which binds nothing
        q.builder().where(meta.primaryColumn().column, int64_t{0}).limit(1);  // only the SQL text and its marks are kept
        q.seal();
        return compileSelect(q.builder().state(), d);
    });
    if (meta.primaryColumn().options.prepare) id = meta.primaryColumn().options.prepare(id);
    ReusedBindings reused(st.bindings);
    st.bindings.push_back(std::move(id));
    st.bindings.emplace_back(int64_t{1});
    st.model = meta.name;
    st.read = true;
    OneRow one{out};
    ModelSink sink(meta, client, &OneRow::next, &one);
    client.stream(st, sink);
    if (!one.found) return false;
    meta.runHooks(Hook::AfterFind, out);
    return true;
}

bool findKeyInto(const ModelMeta& meta, QueryClient* explicitClient, const std::vector<Value>& key, void* out) {
    if (key.size() != meta.keys.size())
        throw Error("E_INVALID_KEY", "\"" + meta.name + "\" model has " + std::to_string(meta.keys.size()) + " primary key column(s); lucid::Key holds " +
                                         std::to_string(key.size()) + " value(s)");
    if (!meta.compositeKey()) return findInto(meta, explicitClient, key[0], out);
    ModelQueryCore q(&meta, explicitClient ? explicitClient : &defaultClient(meta));
    for (std::size_t k = 0; k < key.size(); ++k) {
        const ColumnMeta& c = meta.columns[static_cast<std::size_t>(meta.keys[k])];
        q.builder().where(c.column, c.options.prepare ? c.options.prepare(key[k]) : key[k]);
    }
    return q.firstInto(out);
}

void refreshModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot refresh a \"" + meta.name + "\" model instance that is not persisted");
    ClientHandle h = clientFor(meta, model);
    auto b = h.get().from(meta.table);
    b.forModel(meta.name);
    whereKey(b, meta, model);
    Result r = b.limit(1).exec();
    if (r.empty()) throw RowNotFound("Row not found");
    hydrateRows(meta, r, model, 0, h.get());
}

}  // namespace lucid::detail
