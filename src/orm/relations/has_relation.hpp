#pragma once
// hasOne and hasMany resolve their keys the same way: the owner's local key, the related model's foreign key.
#include "orm/relations/keyed_relation.hpp"

namespace lucid::detail {

class HasRelation : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
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
