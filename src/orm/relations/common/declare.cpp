// Declaring relations: their configuration, their place in the model's descriptor, and what the typed layer asks of them.
#include <lucid/relations/holders.hpp>
#include <lucid/detail/relation.hpp>

namespace lucid::detail {

RelationConfig::RelationConfig() = default;
RelationConfig::~RelationConfig() = default;
RelationConfig::RelationConfig(RelationConfig&&) noexcept = default;
RelationConfig& RelationConfig::operator=(RelationConfig&&) noexcept = default;

void setKeys(RelationConfig& c, const std::string& localKey, const std::string& foreignKey, const std::string& serializeAs, bool hidden) {
    c.localKey = localKey;
    c.foreignKey = foreignKey;
    c.serializeAs = serializeAs;
    c.hidden = hidden;
}

void setMorphKeys(RelationConfig& c, const std::string& morphName, const std::string& typeKey, const std::string& idKey,
                  const std::string& localKey, const std::string& pivotTable, const std::string& serializeAs, bool hidden) {
    setKeys(c, localKey, {}, serializeAs, hidden);
    c.morphName = morphName;
    c.typeKey = typeKey;
    c.idKey = idKey;
    c.pivotTable = pivotTable;
}

void throwMorphToOnQuery(const ModelMeta& m, std::string_view name) {
    throw DefinitionError("\"" + m.name + "." + std::string(name) +
                          "\" is a morphTo: it takes no onQuery (its models differ); constrain its preload with a callback instead");
}

void addRelation(ModelMeta& meta, RelationFactory make, std::string_view name, const ModelMeta& (*related)(),
                 const ModelMeta& (*relatedDefinition)(), std::unique_ptr<HolderAccess> (*makeHolder)(std::size_t), std::size_t offset,
                 const void* member, std::size_t memberSize, RelationConfig& config) {
    meta.relations.push_back(make(std::string(name), related, relatedDefinition, makeHolder(offset),
                                  std::string(static_cast<const char*>(member), memberSize), std::move(config)));
}

void throwNotLoaded() {
    throw RelationNotLoaded("the relationship is not loaded: preload it, load() it or set() it first (lucid-cpp never loads lazily)");
}

std::string aggregateColumn(const ModelMeta& related, const std::string& member) {
    for (const auto& c : related.columns)
        if (c.member == member) return c.column;
    throw Error("E_UNKNOWN_COLUMN", "\"" + related.name + "\": the member given to the aggregate is not a column declared in define()");
}

}  // namespace lucid::detail
