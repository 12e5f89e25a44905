#pragma once
// The untyped persistence that related(...)'s typed clients forward to, one call each; defined per kind in
// src/orm/relations/<kind>/persistence.cpp. Parents and related models are passed by address: their
// models are the relation's owner and related model.
#include <lucid/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace lucid::detail {

class Relation;
struct ModelMeta;
using PivotRows = std::vector<std::pair<Value, Attributes>>;  // related-key values, with pivot columns

template <class R> std::vector<void*> addressesOf(std::vector<R>& models) {
    std::vector<void*> out;
    out.reserve(models.size());
    for (auto& m : models) out.push_back(&m);
    return out;
}

namespace belongs_to {
void associate(Relation& r, void* parent, void* related);  // saves related when new or dirty, then the parent
void dissociate(Relation& r, void* parent);
}  // namespace belongs_to

namespace morph_to {
// Saves related when new or dirty, sets the parent's type and id columns to it and saves the parent.
void associate(Relation& r, void* parent, const ModelMeta& relatedMeta, void* related);
void dissociate(Relation& r, void* parent);  // both columns null
}  // namespace morph_to

namespace has_one {
void save(Relation& r, void* parent, void* related);
// `out` is a default-constructed related model: it becomes the row found, or the one created.
void firstOrCreate(Relation& r, void* parent, void* out, const Attributes& search, const Attributes& extra);
void updateOrCreate(Relation& r, void* parent, void* out, const Attributes& search, const Attributes& update);
}  // namespace has_one

namespace has_many {
void saveMany(Relation& r, void* parent, const std::vector<void*>& related);
// For each of `rows`: the parent's related row equal to it on `keys` (updated from it when `update`), else
// the row itself, created. Each is appended to `out` by `append(out, model)`, as it is settled.
void manyByKeys(Relation& r, void* parent, const std::vector<void*>& rows, const std::vector<std::string>& keys, bool update,
                void* out, void (*append)(void* out, const void* model));
}  // namespace has_many

namespace many_to_many {
void attach(Relation& r, void* parent, const PivotRows& rows);  // one multi-row INSERT per set of pivot columns
void detach(Relation& r, void* parent, const Bindings* ids);    // ids == nullptr: every row of the parent
void sync(Relation& r, void* parent, const PivotRows& rows, bool detach);
void save(Relation& r, void* parent, void* related, const Attributes& pivot);
void saveMany(Relation& r, void* parent, const std::vector<void*>& related);
}  // namespace many_to_many

}  // namespace lucid::detail
