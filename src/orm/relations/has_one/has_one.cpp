// hasOne's factory (the relation is has_one.hpp, which hasMany shares).
#include "orm/relations/has_one/has_one.hpp"

namespace lucid::detail {

std::unique_ptr<Relation> makeHasOne(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                     std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasOneRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                            std::move(config));
}

}  // namespace lucid::detail
