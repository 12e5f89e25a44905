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
    std::string localKey, foreignKey, serializeAs;
    bool hidden = false;
    std::function<void(ModelQueryCore&)> onQuery;
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

protected:
    const ModelMeta& (*related_)();
    const ModelMeta& (*relatedDefinition_)();
};

}  // namespace lucid::detail
