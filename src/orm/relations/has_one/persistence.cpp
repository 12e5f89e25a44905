// hasOne's persistence (hasMany's too): the parent is saved first, its key then goes to the related model.
#include <lucid/detail/relation_persistence.hpp>

#include "orm/relations/common/persist.hpp"

namespace lucid::detail {
namespace {

// The parent's related rows equal to `search`, in the transaction.
ModelQueryCore searchQuery(Relation& r, Transaction& trx, const void* parent, const Attributes& search) {
    ModelQueryCore q = r.relatedQuery(trx, parent);
    for (const auto& [k, v] : search) addBasic(q.builder().state(), q.resolveColumn(k), "=", v, false, false);
    return q;
}

// `out` (found, or filled from `values`) gets the parent's key and is saved in the transaction.
void saveFound(Relation& r, Transaction& trx, const void* parent, void* out, const Attributes& values) {
    const ModelMeta& rm = r.related();
    rm.state(out).setTrx(trx.transactionCore());
    mergeAttributes(rm, out, values);
    copyKeyToRelated(r, parent, out);
    saveModel(rm, out);
}

}  // namespace

namespace has_one {

void save(Relation& r, void* parent, void* related) {
    const ModelMeta& rm = r.related();
    persistTogether(*r.owner, parent, {{&rm, related}}, [&](Transaction&) {
        saveModel(*r.owner, parent);
        copyKeyToRelated(r, parent, related);
        saveModel(rm, related);
    });
}

void firstOrCreate(Relation& r, void* parent, void* out, const Attributes& search, const Attributes& extra) {
    persistTogether(*r.owner, parent, {}, [&](Transaction& trx) {
        saveModel(*r.owner, parent);
        if (searchQuery(r, trx, parent, search).firstInto(out)) return;
        mergeAttributes(r.related(), out, search);
        saveFound(r, trx, parent, out, extra);
    });
}

void updateOrCreate(Relation& r, void* parent, void* out, const Attributes& search, const Attributes& update) {
    persistTogether(*r.owner, parent, {}, [&](Transaction& trx) {
        saveModel(*r.owner, parent);
        if (!searchQuery(r, trx, parent, search).firstInto(out)) mergeAttributes(r.related(), out, search);
        saveFound(r, trx, parent, out, update);
    });
}

}  // namespace has_one
}  // namespace lucid::detail
