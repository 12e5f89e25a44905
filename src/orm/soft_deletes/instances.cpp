// Soft deletes on an instance: remove() marks the row trashed, restore() undoes it, forceDelete()
// (writes.cpp) really deletes it; the delete hooks run around both kinds of delete.
#include <lucid/errors.hpp>
#include <lucid/model_query.hpp>

#include "orm/model/column_values.hpp"
#include "orm/model/instances.hpp"

namespace lucid::detail {
namespace {

const ColumnMeta& deletedAt(const ModelMeta& meta) {
    if (meta.softDelete < 0) throw Error("E_UNSUPPORTED", "\"" + meta.name + "\" model does not use soft deletes (m.softDeletes in define())");
    return meta.columns[static_cast<std::size_t>(meta.softDelete)];
}

}  // namespace

bool isTrashed(const ModelMeta& meta, const void* model) {
    return meta.softDelete >= 0 && !deletedAt(meta).access->get(model).isNull();
}

// Only deleted_at is written, and it alone becomes clean: other changes stay dirty for a later save().
void softRemoveModel(const ModelMeta& meta, void* model) {
    const ColumnMeta& c = deletedAt(meta);
    ModelState& st = meta.state(model);
    const Value before = c.access->get(model);
    const Originals originals = st.original;
    const Value now(writeTime());
    removeWith(meta, model,
               {[&](QueryBuilder& row) { row.update({{c.column, now}}); },
                [&](bool done) {
                    c.access->set(model, done ? now : before);
                    if (!done) {
                        st.original = originals;
                        return;
                    }
                    const std::size_t i = static_cast<std::size_t>(meta.softDelete);
                    if (st.original.size() <= i) return;  // no originals kept: nothing to mark clean
                    std::vector<Value> values;
                    values.reserve(st.original.size());
                    for (std::size_t k = 0; k < st.original.size(); ++k) values.push_back(k == i ? written(meta, c, model) : st.original.value(k));
                    st.original.assign(values);
                }});
}

// Eloquent's restore(): deleted_at := null through save(), so the update hooks run.
void restoreModel(const ModelMeta& meta, void* model) {
    const ColumnMeta& c = deletedAt(meta);
    const ModelState& st = meta.cstate(model);
    if (st.deleted()) throw Error("E_MODEL_DELETED", "Cannot restore a deleted \"" + meta.name + "\" model instance");
    if (!st.persisted()) throw Error("E_MODEL_NOT_PERSISTED", "Cannot restore a \"" + meta.name + "\" model instance that is not persisted");
    const Value before = c.access->get(model);
    c.access->set(model, Value());
    try {
        saveModel(meta, model);
    } catch (...) {
        c.access->set(model, before);
        throw;
    }
}

}  // namespace lucid::detail
