#pragma once
// The untyped relation that the typed layer declares and calls (users never touch it): one class per kind
// in src/orm/relations/<kind>/.
#include <lucid/detail/model_query_core.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lucid::detail {

// Type-erased access to a relation holder (BelongsTo<R>, HasMany<R>, ...) inside a parent instance.
struct HolderAccess {
    virtual ~HolderAccess() = default;
    virtual bool isMany() const = 0;
    virtual bool isLoaded(const void* parent) const = 0;
    virtual void setOne(void* parent, std::shared_ptr<void> related) const = 0;  // nullptr: loaded as null
    virtual void setMany(void* parent, std::vector<std::shared_ptr<void>> related) const = 0;
    virtual void reset(void* parent) const = 0;
    virtual std::vector<void*> items(const void* parent) const = 0;  // loaded related instances
    // A holder of one of several models (MorphTo<Ts...>): which one, by its place in the list.
    virtual void setAt(void* parent, std::size_t /*type*/, std::shared_ptr<void> related) const { setOne(parent, std::move(related)); }
    virtual std::size_t typeAt(const void* /*parent*/) const { return 0; }
};

// One model a morphTo may hold: its descriptor, and its definition (for boot, which must not boot it).
struct MorphTarget {
    const ModelMeta& (*meta)();
    const ModelMeta& (*definition)();
};

// A column that checkSchema looks for (a relation's key, a morph's type column).
struct SchemaColumn {
    std::string table, column;
};

// What define() said of a relation; each kind reads the part that concerns it when it boots.
struct RelationConfig {
    // out of line: define() only declares one, the work of building it is not repeated per relation
    RelationConfig();
    ~RelationConfig();
    RelationConfig(RelationConfig&&) noexcept;
    RelationConfig& operator=(RelationConfig&&) noexcept;
    std::string localKey, foreignKey, serializeAs;
    bool hidden = false;
    QueryCallback onQuery;
    // manyToMany
    std::string pivotTable, pivotForeignKey, relatedKey, pivotRelatedForeignKey;
    std::vector<std::string> pivotColumns;
    bool pivotTimestamps = false;
    // hasManyThrough
    std::string throughLocalKey, throughForeignKey;
    const ModelMeta& (*throughDefinition)() = nullptr;
    // polymorphic kinds: the morph name, the type and id keys, and morphTo's models
    std::string morphName, typeKey, idKey;
    std::vector<MorphTarget> morphTargets;
};

struct PivotKeys;  // a manyToMany's pivot table and its keys (relations/many_to_many/)

class Relation {
public:
    Relation(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
             std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config)
        : name(std::move(name)), member(std::move(member)), config(std::move(config)), holder(std::move(holder)),
          related_(related), relatedDefinition_(relatedDefinition) {}
    virtual ~Relation() = default;

    virtual const char* kind() const = 0;  // for messages; behaviour goes through the virtual calls below
    // Resolves the keys against both models; throws DefinitionError with Lucid's wording.
    virtual void boot(const ModelMeta& owner) = 0;
    // One query for every parent; fills each parent's holder.
    virtual void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) = 0;
    // The query of the related rows of one parent (related(...).query()).
    virtual ModelQueryCore relatedQuery(QueryClient& client, const void* parent) = 0;
    // A correlated subquery on the related table, for has/whereHas/withCount/withAggregate; building it
    // needs no connection (`client`, when given, is the one the callback's query sees).
    virtual QueryState existsSubquery(const QueryCallback& callback, QueryClient* client = nullptr) = 0;
    // Capabilities: whether ownerKey and relatedKey are columns of the two tables (not met through a third
    // one), and the pivot table of the kinds that have one.
    virtual bool keysMeetDirectly() const { return true; }
    virtual const PivotKeys* pivot() const { return nullptr; }
    // Sets what, beside the key, marks a related row as the parent's (a morph's type column).
    virtual void tagRelated(void* /*related*/) const {}
    // The model of what a parent's holder holds (morphTo: one of several).
    virtual const ModelMeta& relatedOf(const void* /*parent*/) const { return related(); }
    // For checkSchema: key columns that must be of one type, and columns that must hold text (morph types).
    virtual std::vector<std::pair<SchemaColumn, SchemaColumn>> keyPairs() const;
    virtual std::vector<SchemaColumn> typeColumns() const { return {}; }

    const ModelMeta& related() const { return related_(); }
    const ModelMeta& relatedDefinition() const { return relatedDefinition_(); }
    std::string serializedName() const { return config.serializeAs.empty() ? name : config.serializeAs; }
    std::string label() const { return "\"" + owner->name + "." + name + "\""; }

    std::string name, member;
    RelationConfig config;
    std::unique_ptr<HolderAccess> holder;
    const ModelMeta* owner = nullptr;
    // Resolved by boot(): a parent matches a related row when parent.ownerKey == related.relatedKey
    // (belongsTo: the foreign key on the owner and the local key on the related model; hasOne/hasMany:
    // the local key on the owner and the foreign key on the related model).
    const ColumnMeta* ownerKey = nullptr;
    const ColumnMeta* relatedKey = nullptr;

protected:
    const ModelMeta& (*related_)();
    const ModelMeta& (*relatedDefinition_)();
};

using RelationFactory = std::unique_ptr<Relation> (*)(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(),
                                                      std::unique_ptr<HolderAccess>, std::string, RelationConfig);
// One factory per kind (relations/<kind>/), handed to addRelation by ModelDefinition's calls.
std::unique_ptr<Relation> makeBelongsTo(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                        std::string, RelationConfig);
std::unique_ptr<Relation> makeHasOne(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                     std::string, RelationConfig);
std::unique_ptr<Relation> makeHasMany(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                      std::string, RelationConfig);
std::unique_ptr<Relation> makeManyToMany(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                         std::string, RelationConfig);
std::unique_ptr<Relation> makeHasManyThrough(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                             std::string, RelationConfig);

// Polymorphic kinds (relations/morph_*/).
std::unique_ptr<Relation> makeMorphTo(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                      std::string, RelationConfig);
std::unique_ptr<Relation> makeMorphOne(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                       std::string, RelationConfig);
std::unique_ptr<Relation> makeMorphMany(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                        std::string, RelationConfig);
std::unique_ptr<Relation> makeMorphToMany(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                          std::string, RelationConfig);
std::unique_ptr<Relation> makeMorphedByMany(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(), std::unique_ptr<HolderAccess>,
                                            std::string, RelationConfig);
// The string a morph's type column holds for a model: its lucid::morphMap alias, else its name.
std::string morphTypeOf(const ModelMeta& meta);
void registerMorphAlias(const ModelMeta& meta, std::string alias);

// A relation of `meta`, declared from what define() knows: untyped, so each declaration is a call with scalars.
void addRelation(ModelMeta& meta, RelationFactory make, std::string_view name, const ModelMeta& (*related)(),
                 const ModelMeta& (*relatedDefinition)(), std::unique_ptr<HolderAccess> (*makeHolder)(std::size_t offset),
                 std::size_t offset, const void* member, std::size_t memberSize, RelationConfig& config);
void setKeys(RelationConfig& c, const std::string& localKey, const std::string& foreignKey, const std::string& serializeAs, bool hidden);

// Existence and aggregates on a model query (has, whereHas, withCount, withAggregate): relations/common/existence.cpp.
void addHas(ModelQueryCore& q, Relation& r, const QueryCallback& callback, std::string_view op, int64_t count, bool orJoin, bool negate);
// fn(column of `member`) of the related rows ("*": a count of them) as a selected value named `alias`
// (empty: "<relation>_<fn>").
void addRelationAggregate(ModelQueryCore& q, Relation& r, std::string_view fn, const std::string& member, std::string alias,
                          const QueryCallback& callback);
// Loads relations of single instances (load / loadOnce / loadCount).
void loadRelation(const ModelMeta& meta, void* model, Relation& r, const QueryCallback& callback);
void loadRelationCount(const ModelMeta& meta, void* model, Relation& r);

std::vector<std::string> checkModelSchema(QueryClient& client, const std::vector<const ModelMeta*>& models);

}  // namespace lucid::detail
