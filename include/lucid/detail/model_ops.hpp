#pragma once
// The untyped model operations (src/orm/model/) that BaseModel<T>, ModelDefinition<T> and ModelQuery<T>
// forward to: each template member is one call to one of these.
#include <lucid/detail/model_meta.hpp>
#include <lucid/serialize_options.hpp>
#include <lucid/transaction.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lucid {
class QueryBuilder;
namespace detail {

// J, as a type that depends on T: a class template's member may then return an incomplete J until used.
template <class J, class T> struct NamedThrough {
    using type = J;
};

std::string demangledModelName(const char* mangled);
void finalizeMeta(ModelMeta& meta);
// A column of `meta`: its field accessor made by makeField(offset); `member` holds the member pointer's bytes.
void addColumn(ModelMeta& meta, std::string_view property, const ColumnOptions* options,
               std::unique_ptr<FieldAccess> (*makeField)(std::size_t offset), std::size_t offset, const void* member, std::size_t memberSize);
// Hydrates every row of `r` into consecutive instances starting at `first`, `stride` bytes apart.
void hydrateRows(const ModelMeta& meta, const Result& r, void* first, std::size_t stride, QueryClient& client);
// The client a model instance writes through: its open transaction, else the connection it came from,
// else its model's connection. Holds a non-owning Transaction view when needed.
class ClientHandle {
public:
    explicit ClientHandle(QueryClient& c) : c_(&c) {}
    explicit ClientHandle(Transaction view) : view_(std::move(view)), c_(&*view_) {}
    ClientHandle(ClientHandle&& o) noexcept : view_(std::move(o.view_)), c_(view_ ? &*view_ : o.c_) {}
    QueryClient& get() const { return *c_; }

private:
    std::optional<Transaction> view_;
    QueryClient* c_;
};
ClientHandle clientFor(const ModelMeta& meta, void* model);
std::shared_ptr<QueryClient> sharedClientFor(const ModelMeta& meta, void* model);
bool sameValues(const ModelMeta& meta, const void* a, const void* b, const std::vector<std::string>& properties);
// dst's columns := src's, except the primary key and the listed properties
void copyColumns(const ModelMeta& meta, void* dst, const void* src, const std::vector<std::string>& except);
QueryClient& defaultClient(const ModelMeta& meta);
// find(id): the row with that primary key into `out` (false when none); its SQL is compiled once per dialect.
bool findInto(const ModelMeta& meta, QueryClient* client, Value id, void* out);
void saveModel(const ModelMeta& meta, void* model);
// createMany: in one transaction; multi-row INSERTs when the model has no create/save hooks. On failure
// the instances are left as they were.
void createModels(const ModelMeta& meta, QueryClient& client, const std::vector<void*>& models);
void removeModel(const ModelMeta& meta, void* model);
// find(lucid::Key{...}): the values in key-declaration order; a wrong count throws lucid::Error.
bool findKeyInto(const ModelMeta& meta, QueryClient* client, const std::vector<Value>& key, void* out);
// Static fetch/updateOrCreateMany: `out` := one model per row, in the rows' order (a row itself when created,
// else a fetched instance, which `keep` owns); one SELECT per bounded batch of keys, one createMany.
void manyByKey(const ModelMeta& meta, QueryClient* client, std::string_view key, const std::vector<void*>& rows, bool update,
               const char* what, std::vector<void*>& out, std::vector<std::shared_ptr<void>>& keep);
void refreshModel(const ModelMeta& meta, void* model);
void mergeAttributes(const ModelMeta& meta, void* model, const Attributes& values);
void mergeJson(const ModelMeta& meta, void* model, const nlohmann::json& values);
void resetToDefaults(const ModelMeta& meta, void* model);
Attributes dirtyAttributes(const ModelMeta& meta, const void* model);
Attributes originalAttributes(const ModelMeta& meta, const void* model);
// `options` null: every field and loaded relation.
nlohmann::json serializeModel(const ModelMeta& meta, const void* model, const SerializeOptions* options = nullptr);
// fn (sum/min/max) of `column` over the query's rows; with the column's scale, exact decimal text of that scale.
Value scaledAggregate(const ModelMeta& meta, QueryBuilder& query, const char* fn, std::string_view column);
[[noreturn]] void throwRowNotFound(const ModelMeta& meta);
// Soft deletes (src/orm/soft_deletes/): m.softDeletes() marks the column just added; the instance calls.
void useSoftDeletes(ModelMeta& meta);
bool isTrashed(const ModelMeta& meta, const void* model);
void restoreModel(const ModelMeta& meta, void* model);
void forceDeleteModel(const ModelMeta& meta, void* model);

}  // namespace detail
}  // namespace lucid
