#pragma once
// The untyped relation: one class per kind (src/orm/relations/) owns its keys, preload, subqueries
// and persistence. The typed layer supplies only the holder access and the related model.
#include <lucid/model_meta.hpp>

#include <functional>
#include <memory>
#include <string>
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
};

struct RelationConfig {
    // out of line: define() only declares one, the work of building it is not repeated per relation
    RelationConfig();
    ~RelationConfig();
    RelationConfig(RelationConfig&&) noexcept;
    RelationConfig& operator=(RelationConfig&&) noexcept;
    std::string localKey, foreignKey, serializeAs;
    bool hidden = false;
    std::function<void(ModelQueryCore&)> onQuery;
    // manyToMany
    std::string pivotTable, pivotForeignKey, relatedKey, pivotRelatedForeignKey;
    std::vector<std::string> pivotColumns;
    bool pivotTimestamps = false;
    // hasManyThrough
    std::string throughLocalKey, throughForeignKey;
    const ModelMeta& (*throughDefinition)() = nullptr;
};

using QueryCallback = std::function<void(ModelQueryCore&)>;

class Relation {
public:
    Relation(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
             std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config)
        : name(std::move(name)), member(std::move(member)), config(std::move(config)), holder(std::move(holder)),
          related_(related), relatedDefinition_(relatedDefinition) {}
    virtual ~Relation() = default;

    virtual const char* kind() const = 0;
    // Resolves the keys against both models; throws DefinitionError with Lucid's wording.
    virtual void boot(const ModelMeta& owner) = 0;
    // One query for every parent; fills each parent's holder.
    virtual void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) = 0;
    // The query of the related rows of one parent (related(...).query()).
    virtual ModelQueryCore relatedQuery(QueryClient& client, const void* parent) = 0;
    // A correlated subquery on the related table, for has/whereHas/withCount/withAggregate.
    virtual QueryState existsSubquery(QueryClient& client, const QueryCallback& callback) = 0;

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

std::unique_ptr<Relation> makeBelongsTo(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                        std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config);
std::unique_ptr<Relation> makeHasOne(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                     std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config);
std::unique_ptr<Relation> makeHasMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                      std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config);

std::unique_ptr<Relation> makeManyToMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                         std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config);
std::unique_ptr<Relation> makeHasManyThrough(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                             std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config);

// manyToMany persistence on the pivot table (relations/many_to_many.cpp). Ids are related-key values.
using PivotRows = std::vector<std::pair<Value, Attributes>>;
void pivotAttach(Relation& r, QueryClient& client, const void* parent, const PivotRows& rows);
int64_t pivotDetach(Relation& r, QueryClient& client, const void* parent, const Bindings* ids);
void pivotSync(Relation& r, QueryClient& client, const void* parent, const PivotRows& rows, bool detach);
Value pivotRelatedId(const Relation& r, const void* related);  // the related model's relatedKey value
void requireParentKey(const Relation& r, const void* parent);  // "Cannot persist ..." when unset

using RelationFactory = std::unique_ptr<Relation> (*)(std::string, const ModelMeta& (*)(), const ModelMeta& (*)(),
                                                      std::unique_ptr<HolderAccess>, std::string, RelationConfig);
// A relation of `meta`, declared from what define() knows: untyped, so each declaration is a call with scalars.
void addRelation(ModelMeta& meta, RelationFactory make, std::string_view name, const ModelMeta& (*related)(),
                 const ModelMeta& (*relatedDefinition)(), std::unique_ptr<HolderAccess> (*makeHolder)(std::size_t offset),
                 std::size_t offset, const void* member, std::size_t memberSize, RelationConfig& config);
void setKeys(RelationConfig& c, const std::string& localKey, const std::string& foreignKey, const std::string& serializeAs, bool hidden);

// Existence and aggregates on a model query (has, whereHas, withCount, withAggregate).
void addHas(ModelQueryCore& q, Relation& r, const QueryCallback& callback, std::string_view op, int64_t count, bool orJoin, bool negate);
// fn(column) of the related rows as a selected value named alias ("*" counts rows).
void addRelationAggregate(ModelQueryCore& q, Relation& r, std::string_view fn, const std::string& relatedColumn, std::string alias,
                          const QueryCallback& callback);
// related.relatedKey := parent.ownerKey (hasOne/hasMany); throws "Cannot persist ..." when the parent's key is null.
void copyKeyToRelated(const Relation& r, const void* parent, void* related);
// parent.ownerKey := related.relatedKey (belongsTo associate), or null (dissociate).
void copyKeyToOwner(const Relation& r, void* parent, const void* related);
// Loads relations of single instances (load / loadOnce / loadCount).
void loadRelation(const ModelMeta& meta, void* model, Relation& r, const QueryCallback& callback);
void loadRelationCount(const ModelMeta& meta, void* model, Relation& r);

// Runs fn in a managed transaction of the parent's client (a savepoint inside its own); the parent and
// the listed models use it meanwhile, and are restored to their previous state when it fails.
void persistTogether(const ModelMeta& parentMeta, void* parent, std::vector<std::pair<const ModelMeta*, void*>> models,
                     const std::function<void(Transaction&)>& fn);

// Makes a model use a transaction for the scope, then gives it back its previous one.
class UseTransaction {
public:
    UseTransaction(const ModelMeta& meta, void* model, Transaction& trx);
    ~UseTransaction();
    UseTransaction(const UseTransaction&) = delete;
    UseTransaction& operator=(const UseTransaction&) = delete;

private:
    ModelState* state_;
    ModelState saved_;  // holds the model's own transaction and connection meanwhile
};

std::vector<std::string> checkModelSchema(QueryClient& client, const std::vector<const ModelMeta*>& models);

}  // namespace lucid::detail
