// morphToMany (Post.tags) and morphedByMany (Tag.posts): manyToMany through a pivot with a type column
// (taggables: tag_id, taggable_id, taggable_type). Only the keys differ; queries and persistence are manyToMany's.
#include "orm/relations/many_to_many/many_to_many.hpp"

namespace lucid::detail {
namespace {

class MorphToManyRelation final : public ManyToManyRelation {
public:
    MorphToManyRelation(bool inverse, std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                        std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config)
        : ManyToManyRelation(std::move(name), related, relatedDefinition, std::move(holder), std::move(member), std::move(config)),
          inverse_(inverse) {}
    const char* kind() const override { return inverse_ ? "morphedByMany" : "morphToMany"; }

    void boot(const ModelMeta& o) override {
        owner = &o;
        const ModelMeta& rel = relatedDefinition();
        const std::string morph = snakeCase(config.morphName);
        if (morph.empty()) throw DefinitionError(label() + " needs a morphName: the name its pivot table and columns derive from");
        ownerKey = requireKey(o, config.localKey.empty() ? o.primaryColumn().property : config.localKey);
        relatedKey = requireKey(rel, rel.primaryColumn().property);
        // the morphed side (Post) is met by the pivot's id and type columns, the other (Tag) by tag_id
        const ModelMeta& morphed = inverse_ ? rel : o;
        const ModelMeta& other = inverse_ ? o : rel;
        const std::string morphId = config.idKey.empty() ? morph + "_id" : config.idKey;
        const std::string otherId = o.naming->relationPivotForeignKey(other.name, other.primaryColumn().property);
        PivotKeys p;
        p.table = config.pivotTable.empty() ? pluralize(morph) : config.pivotTable;
        p.foreignKey = inverse_ ? otherId : morphId;
        p.relatedForeignKey = inverse_ ? morphId : otherId;
        p.typeColumn = config.typeKey.empty() ? morph + "_type" : config.typeKey;
        p.typeOf = &morphed;
        setPivot(std::move(p));
    }

    std::vector<std::pair<SchemaColumn, SchemaColumn>> keyPairs() const override {
        const PivotKeys& p = *pivot();
        return {{{owner->table, ownerKey->column}, {p.table, p.foreignKey}}, {{related().table, relatedKey->column}, {p.table, p.relatedForeignKey}}};
    }
    std::vector<SchemaColumn> typeColumns() const override { return {{pivot()->table, pivot()->typeColumn}}; }

private:
    bool inverse_;
};

}  // namespace

std::unique_ptr<Relation> makeMorphToMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                          std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<MorphToManyRelation>(false, std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                 std::move(config));
}

std::unique_ptr<Relation> makeMorphedByMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                            std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<MorphToManyRelation>(true, std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                 std::move(config));
}

}  // namespace lucid::detail
