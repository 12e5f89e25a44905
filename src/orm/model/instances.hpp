#pragma once
// Untyped operations on a model instance that only the core uses (the templates never call them).
#include <lucid/detail/model_ops.hpp>

namespace lucid::detail {

void markPersisted(const ModelMeta& meta, void* model);  // original := current values
void adoptTransaction(const ModelMeta& meta, void* model, QueryClient& client);  // models fetched in a trx keep it
Value primaryKeyValue(const ModelMeta& meta, const void* model);
// where key = the model's (every column of a composite key)
void whereKey(QueryBuilder& b, const ModelMeta& meta, const void* model);

// Saves many persisted instances in one transaction: each one's before-hooks, one UPDATE per batch of
// rows (each row its own changed columns), then each one's after-hooks; on failure the instances are as before.
void updateModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models);
// An INSERT of one fresh instance with save()'s after-hooks; the before-hooks are the caller's.
void insertAfterBeforeHooks(const ModelMeta& meta, void* model, QueryClient& client);

// remove()'s frame (writes.cpp): checks, beforeDelete, then write(a query on the row), done(true) and
// afterDelete in one transaction when there are after-hooks; done(false) when any of them throws.
struct RowRemoval {
    std::function<void(QueryBuilder&)> write;
    std::function<void(bool)> done;
};
void removeWith(const ModelMeta& meta, void* model, const RowRemoval& removal);
void softRemoveModel(const ModelMeta& meta, void* model);  // soft_deletes/instances.cpp

// Snapshot of a model instance (fields and state) to restore when a persistence call fails.
class ModelSnapshot {
public:
    ModelSnapshot(const ModelMeta& meta, void* model);
    void restore();

private:
    const ModelMeta* meta_;
    void* model_;
    std::vector<Value> values_;
    ModelState state_;
};

}  // namespace lucid::detail
