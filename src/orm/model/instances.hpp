#pragma once
// Untyped operations on a model instance that only the core uses (the templates never call them).
#include <lucid/detail/model_ops.hpp>

namespace lucid::detail {

void markPersisted(const ModelMeta& meta, void* model);  // original := current values
void adoptTransaction(const ModelMeta& meta, void* model, QueryClient& client);  // models fetched in a trx keep it
Value primaryKeyValue(const ModelMeta& meta, const void* model);
// where key = the model's (every column of a composite key)
void whereKey(QueryBuilder& b, const ModelMeta& meta, const void* model);

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
