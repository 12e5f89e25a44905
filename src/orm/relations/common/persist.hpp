#pragma once
// What the persistence of every kind shares: one managed transaction for a parent and its related models.
#include <lucid/detail/relation.hpp>
#include <lucid/transaction.hpp>

#include "orm/use_transaction.hpp"

#include <functional>
#include <utility>
#include <vector>

namespace lucid::detail {

// Runs fn in a managed transaction of the parent's client (a savepoint inside its own); the parent and
// the listed models use it meanwhile, and are restored to their previous state when it fails.
void persistTogether(const ModelMeta& parentMeta, void* parent, std::vector<std::pair<const ModelMeta*, void*>> models,
                     const std::function<void(Transaction&)>& fn);

// "Cannot persist ..." when the parent's key (r.ownerKey) is null or never set.
void requireParentKey(const Relation& r, const void* parent);
// related.relatedKey := parent.ownerKey (hasOne/hasMany), and its tag (a morph's type); throws as requireParentKey.
void copyKeyToRelated(const Relation& r, const void* parent, void* related);
// save() unless the model is persisted and unchanged.
void saveIfChanged(const ModelMeta& meta, void* model);

}  // namespace lucid::detail
