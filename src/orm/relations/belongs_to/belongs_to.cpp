// belongsTo: the owner holds the foreign key (Profile.userId) to the related model's local key (User.id).
#include "orm/relations/common/keyed_relation.hpp"

namespace lucid::detail {
namespace {

class BelongsToRelation final : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "belongsTo"; }
    void boot(const ModelMeta& o) override {
        owner = &o;
        const ModelMeta& rel = relatedDefinition();
        const std::string localKey = config.localKey.empty() ? rel.primaryColumn().property : config.localKey;
        const std::string foreignKey =
            config.foreignKey.empty() ? o.naming->relationForeignKey(rel.name, rel.primaryColumn().property) : config.foreignKey;
        ownerKey = requireKey(o, foreignKey);
        relatedKey = requireKey(rel, localKey);
    }
};

}  // namespace

std::unique_ptr<Relation> makeBelongsTo(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                        std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<BelongsToRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                               std::move(config));
}

}  // namespace lucid::detail
