// belongsTo's persistence: associate and dissociate set the owner's foreign key.
#include <lucid/detail/relation_persistence.hpp>

#include "orm/relations/common/persist.hpp"

namespace lucid::detail {
namespace {

// parent.ownerKey := related.relatedKey, or null (related == nullptr).
void copyKeyToOwner(const Relation& r, void* parent, const void* related) {
    Value k = related ? r.relatedKey->access->get(related) : Value();
    if (related && k.isNull())
        throw Error("E_MISSING_RELATED_KEY", "Cannot associate \"" + r.name + "\", value of \"" + r.related().name + "." +
                                                 r.relatedKey->property + "\" is undefined");
    try {
        r.ownerKey->access->set(parent, k);
    } catch (const TypeError& e) {
        throw TypeError("\"" + r.owner->name + "." + r.ownerKey->property + "\": " + e.what() +
                        (related ? "" : " (dissociate needs a std::optional foreign key)"));
    }
}

}  // namespace

namespace belongs_to {

void associate(Relation& r, void* parent, void* related) {
    const ModelMeta& rm = r.related();
    persistTogether(*r.owner, parent, {{&rm, related}}, [&](Transaction&) {
        saveIfChanged(rm, related);
        copyKeyToOwner(r, parent, related);
        saveModel(*r.owner, parent);
    });
}

void dissociate(Relation& r, void* parent) {
    persistTogether(*r.owner, parent, {}, [&](Transaction&) {
        copyKeyToOwner(r, parent, nullptr);
        saveModel(*r.owner, parent);
    });
}

}  // namespace belongs_to
}  // namespace lucid::detail
