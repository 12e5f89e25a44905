#pragma once
// hasOne: the related model holds the foreign key (Profile.userId) to the owner's local key (User.id).
// hasMany derives from it: the same keys, a list of related models per parent.
#include "orm/relations/common/keyed_relation.hpp"

namespace lucid::detail {

class HasOneRelation : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "hasOne"; }
    void boot(const ModelMeta& o) override {
        owner = &o;
        const ModelMeta& rel = relatedDefinition();
        const std::string localKey = config.localKey.empty() ? o.primaryColumn().property : config.localKey;
        const std::string foreignKey =
            config.foreignKey.empty() ? o.naming->relationForeignKey(o.name, o.primaryColumn().property) : config.foreignKey;
        ownerKey = requireKey(o, localKey);
        relatedKey = requireKey(rel, foreignKey);
    }
};

}  // namespace lucid::detail
