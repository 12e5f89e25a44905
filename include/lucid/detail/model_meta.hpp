#pragma once
// The untyped model descriptor that define() produces once per model and every operation reads; the
// templates of the typed layer fill it (model_definition.hpp) and read a few of its fields.
#include <lucid/column_options.hpp>
#include <lucid/detail/model_state.hpp>
#include <lucid/json_fwd.hpp>
#include <lucid/naming.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lucid {
class Result;
namespace detail {

struct ModelMeta;
struct MetaCaches;
// What a single-key operation on a model with a composite key throws (lucid::Error naming its key columns).
[[noreturn]] void throwCompositeKey(const ModelMeta& meta);
class Relation;
class ModelQueryCore;
class QueryScope;

// Type-erased access to one field of a model instance.
struct FieldAccess {
    virtual ~FieldAccess() = default;
    virtual Value get(const void* model) const = 0;
    virtual void set(void* model, const Value& v) const = 0;  // throws TypeError
    virtual void read(void* model, const Cell& c) const = 0;  // set() from a driver's cell, without a Value when it can
    virtual void copy(void* dst, const void* src) const = 0;
    virtual bool isUnset(const void* model) const = 0;  // default-constructed value (0, "", nullopt, epoch)
    virtual void toJson(const void* model, nlohmann::json& out) const = 0;  // out: nlohmann/json_fwd.hpp suffices here
    virtual void fromJson(void* model, const nlohmann::json& j) const = 0;
    virtual bool isDateTime() const = 0;
    // Throws TypeError for a value the databases would store but not give back (NaN, a DateTime outside years 1-9999).
    virtual void checkWritable(const void* model) const = 0;
    // Whether the field holds what `c` converts to (false when it cannot convert).
    virtual bool equals(const void* model, const Cell& c) const = 0;
};

// A member pointer's bytes: identifies the member without knowing its type.
template <class P> std::string memberKey(P p) {
    std::string k(sizeof(P), '\0');
    std::memcpy(k.data(), &p, sizeof(P));
    return k;
}

struct ColumnMeta {
    std::string property, column, serializeAs;
    ColumnOptions options;
    std::unique_ptr<FieldAccess> access;
    std::string member;  // memberKey of the field
};

// m.computed(name, fn): a value serialize() adds after the columns; `value` gets the model.
struct ComputedMeta {
    std::string name, serializeAs;
    std::function<nlohmann::json(const void*)> value;
};

enum class Hook { BeforeSave, AfterSave, BeforeCreate, AfterCreate, BeforeUpdate, AfterUpdate, BeforeDelete, AfterDelete, AfterFind, Count };

struct ModelMeta {
    ModelMeta();
    ~ModelMeta();
    ModelMeta(const ModelMeta&) = delete;
    ModelMeta& operator=(const ModelMeta&) = delete;
    std::string name, table, connection;
    std::vector<ColumnMeta> columns;
    int primary = -1;
    std::vector<int> keys;  // every primary key column, in declaration order: more than one is a composite key
    std::unordered_map<std::string, int> byProperty, byColumn;
    std::vector<std::unique_ptr<Relation>> relations;
    std::shared_ptr<const NamingStrategy> naming;
    bool serializeExtras = false;
    // Soft deletes (src/orm/soft_deletes/): the scope every query of the model starts with, and the index
    // of the deletedAt column (-1: the model does not soft-delete).
    std::shared_ptr<const QueryScope> scope;
    int softDelete = -1;
    std::vector<ComputedMeta> computed;

    // typed operations, filled by the model's template
    ModelState& (*state)(void*) = nullptr;
    const ModelState& (*cstate)(const void*) = nullptr;
    std::shared_ptr<void> (*create)() = nullptr;
    // hydrates rows into new instances (running afterFetch/afterFind), shared for preloads
    std::vector<std::shared_ptr<void>> (*fetchShared)(const ModelMeta&, Result&, QueryClient&) = nullptr;
    const void* defaults = nullptr;  // a default-constructed instance, for fill()

    std::array<std::vector<std::function<void(void*)>>, static_cast<std::size_t>(Hook::Count)> hooks;
    std::vector<std::function<void(void*)>> afterFetch;   // std::vector<T>*
    std::vector<std::function<void(ModelQueryCore&)>> beforeFind;
    std::vector<std::function<void(ModelQueryCore&)>> beforeFetch;

    // The key column of a single-key model; a composite key throws, naming the operation's limit.
    const ColumnMeta& primaryColumn() const {
        if (keys.size() > 1) [[unlikely]]
            throwCompositeKey(*this);
        return columns[static_cast<std::size_t>(primary)];
    }
    bool compositeKey() const { return keys.size() > 1; }
    bool isKey(std::size_t i) const {
        return static_cast<int>(i) == primary || (keys.size() > 1 && std::find(keys.begin(), keys.end(), static_cast<int>(i)) != keys.end());
    }

    // Filled on first use: compiled SQL per statement shape, column maps per result shape (src/orm/fast/).
    const std::unique_ptr<MetaCaches> caches;
    int findProperty(std::string_view property) const;
    int findColumn(std::string_view column) const;
    const ColumnMeta& column(std::string_view property) const;  // throws naming the model
    std::string resolveColumn(std::string_view propertyOrColumn) const;  // -> column name; "t.c" passes through
    Relation* findRelation(std::string_view name) const;
    Relation& relation(std::string_view name) const;  // throws UndefinedRelationship
    Relation& relationByMember(const std::string& member) const;
    void runHooks(Hook h, void* model) const {
        const auto& list = hooks[static_cast<std::size_t>(h)];
        if (!list.empty()) runEach(list, model);  // most models have no hooks: no call
    }
    static void runEach(const std::vector<std::function<void(void*)>>& list, void* model);
};

// Holds a model's descriptor: built on first use, thread-safely; a definition error is kept and thrown
// again on every later use. Relations are resolved (booted) separately, on first use of the model, so
// models may refer to each other.
class MetaHolder {
public:
    explicit MetaHolder(void (*build)(ModelMeta&));
    ~MetaHolder();
    const ModelMeta& defined() const;  // columns checked; relations declared, not resolved
    const ModelMeta& booted() const;   // relations resolved too

private:
    std::unique_ptr<ModelMeta> meta_;
    std::exception_ptr error_;
    mutable std::once_flag bootOnce_;
    mutable std::exception_ptr bootError_;
};

}  // namespace detail
}  // namespace lucid
