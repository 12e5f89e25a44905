// What the persistence of every kind shares (persist.hpp).
#include "orm/relations/common/persist.hpp"
#include "orm/model/instances.hpp"

#include <lucid/detail/model_ops.hpp>

namespace lucid::detail {

void persistTogether(const ModelMeta& parentMeta, void* parent, std::vector<std::pair<const ModelMeta*, void*>> models,
                     const std::function<void(Transaction&)>& fn) {
    models.insert(models.begin(), {&parentMeta, parent});
    std::vector<ModelSnapshot> snapshots;
    snapshots.reserve(models.size());
    for (auto& [m, p] : models) snapshots.emplace_back(*m, p);
    try {
        ClientHandle h = clientFor(parentMeta, parent);
        h.get().transaction([&](Transaction& trx) {
            std::vector<std::unique_ptr<UseTransaction>> scoped;
            for (auto& [m, p] : models) scoped.push_back(std::make_unique<UseTransaction>(*m, p, trx));
            fn(trx);
        });
    } catch (...) {
        for (auto& s : snapshots) s.restore();
        throw;
    }
}

void requireParentKey(const Relation& r, const void* parent) {
    if (r.ownerKey->access->get(parent).isNull() || r.ownerKey->access->isUnset(parent))  // null, or never set (0 / "")
        throw Error("E_MISSING_RELATED_KEY", "Cannot persist \"" + r.name + "\", value of \"" + r.owner->name + "." +
                                                 r.ownerKey->property + "\" is undefined");
}

void copyKeyToRelated(const Relation& r, const void* parent, void* related) {
    requireParentKey(r, parent);
    r.relatedKey->access->set(related, r.ownerKey->access->get(parent));
    r.tagRelated(related);
}

void saveIfChanged(const ModelMeta& meta, void* model) {
    if (!meta.cstate(model).persisted() || !dirtyAttributes(meta, model).empty()) saveModel(meta, model);
}

}  // namespace lucid::detail
