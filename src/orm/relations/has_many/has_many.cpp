// hasMany: hasOne's keys, with a list of related models per parent (and paginate allowed).
#include "orm/relations/has_one/has_one.hpp"

namespace lucid::detail {
namespace {

class HasManyRelation final : public HasOneRelation {
public:
    using HasOneRelation::HasOneRelation;
    const char* kind() const override { return "hasMany"; }

protected:
    bool many() const override { return true; }
};

}  // namespace

std::unique_ptr<Relation> makeHasMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                      std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasManyRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                             std::move(config));
}

}  // namespace lucid::detail
