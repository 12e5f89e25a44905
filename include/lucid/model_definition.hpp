#pragma once
// ModelDefinition<T>: what a model's static define() fills — columns, names, hooks, relations.
#include <lucid/detail/field_codec.hpp>
#include <lucid/detail/model_ops.hpp>

#include <memory>
#include <string>
#include <type_traits>

namespace lucid {

template <class T> class ModelQuery;
namespace detail {
template <class T> std::vector<std::shared_ptr<void>> fetchShared(const ModelMeta& meta, Result& r, QueryClient& client);
}

template <class T> class ModelDefinition {
public:
    explicit ModelDefinition(detail::ModelMeta& meta) : m_(meta) {}

    // Each call is a few scalars handed to one untyped function: define() stays small however many columns.
    template <class F> ModelDefinition& column(F T::*field, std::string_view property) {
        static_assert(!std::is_reference_v<F>, "lucid: a column must be a data member");
        detail::addColumn(m_, property, nullptr, &detail::makeField<F>, detail::memberOffset(*static_cast<const T*>(m_.defaults), field),
                          &field, sizeof field);
        return *this;
    }
    template <class F> ModelDefinition& column(F T::*field, std::string_view property, const ColumnOptions& options) {
        static_assert(!std::is_reference_v<F>, "lucid: a column must be a data member");
        detail::addColumn(m_, property, &options, &detail::makeField<F>, detail::memberOffset(*static_cast<const T*>(m_.defaults), field),
                          &field, sizeof field);
        return *this;
    }

    ModelDefinition& name(std::string modelName) { m_.name = std::move(modelName); return *this; }
    ModelDefinition& table(std::string tableName) { m_.table = std::move(tableName); return *this; }
    ModelDefinition& connection(std::string connectionName) { m_.connection = std::move(connectionName); return *this; }
    ModelDefinition& namingStrategy(std::shared_ptr<const NamingStrategy> strategy) { m_.naming = std::move(strategy); return *this; }
    template <class S, std::enable_if_t<std::is_base_of_v<NamingStrategy, S>, int> = 0>
    ModelDefinition& namingStrategy(S strategy) { m_.naming = std::make_shared<S>(std::move(strategy)); return *this; }
    // Soft deletes (API.md §13): the member is the column "deleted_at" (property "deletedAt"); queries skip
    // the rows where it is set, remove() sets it.
    ModelDefinition& softDeletes(std::optional<DateTime> T::*field) {
        column(field, "deletedAt");
        detail::useSoftDeletes(m_);
        return *this;
    }
    // Lucid's `static serializeExtras = true`: extras() go into serialize() under "meta".
    ModelDefinition& serializeExtras(bool on = true) { m_.serializeExtras = on; return *this; }

    // A value serialize() adds under `name` (the naming strategy's serialized name of it), after the columns.
    template <class F> ModelDefinition& computed(std::string_view name, F fn) {
        m_.computed.push_back({std::string(name), {}, [fn = std::move(fn)](const void* p) { return fn(*static_cast<const T*>(p)); }});
        return *this;
    }

    template <class F> ModelDefinition& beforeSave(F f) { return hook(detail::Hook::BeforeSave, std::move(f)); }
    template <class F> ModelDefinition& afterSave(F f) { return hook(detail::Hook::AfterSave, std::move(f)); }
    template <class F> ModelDefinition& beforeCreate(F f) { return hook(detail::Hook::BeforeCreate, std::move(f)); }
    template <class F> ModelDefinition& afterCreate(F f) { return hook(detail::Hook::AfterCreate, std::move(f)); }
    template <class F> ModelDefinition& beforeUpdate(F f) { return hook(detail::Hook::BeforeUpdate, std::move(f)); }
    template <class F> ModelDefinition& afterUpdate(F f) { return hook(detail::Hook::AfterUpdate, std::move(f)); }
    template <class F> ModelDefinition& beforeDelete(F f) { return hook(detail::Hook::BeforeDelete, std::move(f)); }
    template <class F> ModelDefinition& afterDelete(F f) { return hook(detail::Hook::AfterDelete, std::move(f)); }
    template <class F> ModelDefinition& afterFind(F f) { return hook(detail::Hook::AfterFind, std::move(f)); }
    template <class F> ModelDefinition& afterFetch(F f) {
        m_.fetchShared = &detail::fetchShared<T>;  // preloads then build a std::vector<T> for the hook
        m_.afterFetch.push_back([f = std::move(f)](void* rows) { f(*static_cast<std::vector<T>*>(rows)); });
        return *this;
    }
    template <class F> ModelDefinition& beforeFind(F f) {
        m_.beforeFind.push_back(queryHook(std::move(f)));
        return *this;
    }
    template <class F> ModelDefinition& beforeFetch(F f) {
        m_.beforeFetch.push_back(queryHook(std::move(f)));
        return *this;
    }

    // Relations: belongsTo, hasOne, hasMany (relations/declare.hpp defines them).
    template <class H> ModelDefinition& belongsTo(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& hasOne(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& hasMany(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& manyToMany(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& hasManyThrough(H T::*holder, std::string_view name, const typename H::Options& options = {});
    // Polymorphic relations (relations/morph_declare.hpp defines them).
    template <class H> ModelDefinition& morphTo(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& morphOne(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& morphMany(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& morphToMany(H T::*holder, std::string_view name, const typename H::Options& options = {});
    template <class H> ModelDefinition& morphedByMany(H T::*holder, std::string_view name, const typename H::Options& options = {});

    detail::ModelMeta& meta() { return m_; }

private:
    // The untyped core runs query hooks on its ModelQueryCore; the user's hook sees a ModelQuery<T>.
    template <class F> static std::function<void(detail::ModelQueryCore&)> queryHook(F f) {
        return [f = std::move(f)](detail::ModelQueryCore& core) {
            ModelQuery<T> q(std::move(core));
            f(q);
            core = std::move(q.core());
        };
    }
    template <class F> ModelDefinition& hook(detail::Hook h, F f) {
        m_.hooks[static_cast<std::size_t>(h)].push_back([f = std::move(f)](void* m) { f(*static_cast<T*>(m)); });
        return *this;
    }
    detail::ModelMeta& m_;
};

}  // namespace lucid
