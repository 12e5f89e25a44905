// hasMany: like hasOne, with a list of related models per parent (and paginate allowed).
#include "orm/relations/has_relation.hpp"

namespace lucid::detail {
namespace {

class HasManyRelation final : public HasRelation {
public:
    using HasRelation::HasRelation;
    const char* kind() const override { return "hasMany"; }

protected:
    bool many() const override { return true; }
    bool refusesPagination() const override { return false; }
};

}  // namespace

std::unique_ptr<Relation> makeHasMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                      std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasManyRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                             std::move(config));
}

}  // namespace lucid::detail
