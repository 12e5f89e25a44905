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

void refreshModel(const ModelMeta& meta, void* model) {
    ModelState& st = meta.state(model);
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot refresh a \"" + meta.name + "\" model instance that is not persisted");
    ClientHandle h = clientFor(meta, model);
    Result r = h.get().from(meta.table).forModel(meta.name).where(meta.primaryColumn().column, primaryKeyValue(meta, model)).limit(1).exec();
    if (r.empty()) throw RowNotFound("Row not found");
    hydrateRows(meta, r, model, 0, h.get());
}

}  // namespace lucid::detail
