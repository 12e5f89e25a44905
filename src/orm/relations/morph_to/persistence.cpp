// morphTo's persistence: associate and dissociate set the owner's type and id columns, in one transaction.
#include <lucid/detail/relation_persistence.hpp>

#include "orm/relations/common/persist.hpp"
#include "orm/relations/morph_to/morph_to.hpp"

namespace lucid::detail {
namespace morph_to {
namespace {

const MorphToRelation& morphTo(const Relation& r) {
    const auto* m = dynamic_cast<const MorphToRelation*>(&r);
    if (!m) throw Error("E_NOT_MORPH_TO", r.label() + " is a " + r.kind() + " relationship, not morphTo");
    return *m;
}

}  // namespace

void associate(Relation& r, void* parent, const ModelMeta& relatedMeta, void* related) {
    const MorphToRelation& m = morphTo(r);
    persistTogether(*r.owner, parent, {{&relatedMeta, related}}, [&](Transaction&) {
        saveIfChanged(relatedMeta, related);
        m.point(parent, &relatedMeta, related);
        saveModel(*r.owner, parent);
    });
}

void dissociate(Relation& r, void* parent) {
    const MorphToRelation& m = morphTo(r);
    persistTogether(*r.owner, parent, {}, [&](Transaction&) {
        m.point(parent, nullptr, nullptr);
        saveModel(*r.owner, parent);
    });
}

}  // namespace morph_to
}  // namespace lucid::detail
