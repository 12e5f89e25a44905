// hasOne: the related model holds the foreign key (Profile.userId) to the owner's local key (User.id).
#include "orm/relations/has_relation.hpp"

namespace lucid::detail {
namespace {

class HasOneRelation final : public HasRelation {
public:
    using HasRelation::HasRelation;
    const char* kind() const override { return "hasOne"; }
};

}  // namespace

std::unique_ptr<Relation> makeHasOne(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                     std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasOneRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                            std::move(config));
}

}  // namespace lucid::detail
