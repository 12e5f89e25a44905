#pragma once
// Declaring relations in define(): the typed holder access, and ModelDefinition's relation calls.
#include <lucid/model_definition.hpp>
#include <lucid/model_query.hpp>
#include <lucid/relations/holders.hpp>
#include <lucid/detail/relation.hpp>

#include <type_traits>

namespace lucid::detail {

// Access to a relation holder at a byte offset inside its model: generated once per holder type.
template <class H> class HolderAt final : public HolderAccess {
    using R = typename H::Related;
    static constexpr bool kMany = std::is_base_of_v<ManyHolder<R>, H>;

public:
    explicit HolderAt(std::size_t offset) : off_(offset) {}
    bool isMany() const override { return kMany; }
    bool isLoaded(const void* parent) const override { return ref(parent).isLoaded(); }
    void setOne(void* parent, std::shared_ptr<void> related) const override {
        if constexpr (kMany) {
            std::vector<std::shared_ptr<R>> v;
            if (related) v.push_back(std::static_pointer_cast<R>(std::move(related)));
            ref(parent).setShared(std::move(v));
        } else {
            ref(parent).setShared(std::static_pointer_cast<R>(std::move(related)));
        }
    }
    void setMany(void* parent, std::vector<std::shared_ptr<void>> related) const override {
        if constexpr (kMany) {
            std::vector<std::shared_ptr<R>> v;
            v.reserve(related.size());
            for (auto& r : related) v.push_back(std::static_pointer_cast<R>(std::move(r)));
            ref(parent).setShared(std::move(v));
        } else {
            setOne(parent, related.empty() ? nullptr : std::move(related.front()));
        }
    }
    void reset(void* parent) const override { ref(parent).reset(); }
    std::vector<void*> items(const void* parent) const override {
        std::vector<void*> out;
        const H& h = ref(parent);
        if constexpr (kMany) {
            for (const auto& r : h.shared()) out.push_back(r.get());
        } else if (h.get()) {
            out.push_back(h.get());
        }
        return out;
    }

private:
    H& ref(void* p) const { return *reinterpret_cast<H*>(static_cast<char*>(p) + off_); }
    const H& ref(const void* p) const { return *reinterpret_cast<const H*>(static_cast<const char*>(p) + off_); }
    std::size_t off_;
};

template <class T, class H> Relation& relationOf(H T::*holder) { return T::meta().relationByMember(memberKey(holder)); }

// A typed callback on ModelQuery<R>, seen by the untyped core as a callback on its query.
template <class R, class F> QueryCallback wrapCallback(F callback) {
    if constexpr (requires { R::isMorphTargets; }) {  // a morphTo's models (relations/morph_declare.hpp)
        return R::wrap(std::move(callback));
    } else {
        return [callback = std::move(callback)](ModelQueryCore& core) mutable {
            ModelQuery<R> q(std::move(core));
            callback(q);
            core = std::move(q.core());
        };
    }
}

template <class R> void fillConfig(RelationConfig& c, const RelationOptions<R>& o) {
    setKeys(c, o.localKey, o.foreignKey, o.serializeAs, o.hidden);
    if (o.onQuery) c.onQuery = wrapCallback<R>(o.onQuery);
}
template <class R> void fillConfig(RelationConfig& c, const ManyToManyOptions<R>& o) {
    setKeys(c, o.localKey, {}, o.serializeAs, o.hidden);
    c.pivotTable = o.pivotTable;
    c.pivotForeignKey = o.pivotForeignKey;
    c.relatedKey = o.relatedKey;
    c.pivotRelatedForeignKey = o.pivotRelatedForeignKey;
    c.pivotColumns = o.pivotColumns;
    c.pivotTimestamps = o.pivotTimestamps;
    if (o.onQuery) c.onQuery = wrapCallback<R>(o.onQuery);
}
template <class R> void fillConfig(RelationConfig& c, const ThroughOptions<R>& o) {
    setKeys(c, o.localKey, o.foreignKey, o.serializeAs, o.hidden);
    c.throughLocalKey = o.throughLocalKey;
    c.throughForeignKey = o.throughForeignKey;
    if (o.onQuery) c.onQuery = wrapCallback<R>(o.onQuery);
}

template <class H> std::unique_ptr<HolderAccess> makeHolder(std::size_t offset) { return std::make_unique<HolderAt<H>>(offset); }

template <class T, class H> void declareRelation(ModelMeta& m, RelationFactory make, H T::*holder, std::string_view name,
                                                 const typename H::Options& options, const ModelMeta& (*through)() = nullptr) {
    using R = typename H::Related;
    RelationConfig config;
    fillConfig<R>(config, options);
    config.throughDefinition = through;
    addRelation(m, make, name, &R::meta, &R::definition, &makeHolder<H>, memberOffset(*static_cast<const T*>(m.defaults), holder), &holder,
                sizeof holder, config);
}

}  // namespace lucid::detail

namespace lucid {

template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::belongsTo(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<BelongsTo<typename H::Related>, H>, "lucid: belongsTo() needs a lucid::BelongsTo<Related> field");
    detail::declareRelation<T, H>(m_, &detail::makeBelongsTo, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::hasOne(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<HasOne<typename H::Related>, H>, "lucid: hasOne() needs a lucid::HasOne<Related> field");
    detail::declareRelation<T, H>(m_, &detail::makeHasOne, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::hasMany(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<HasMany<typename H::Related>, H>, "lucid: hasMany() needs a lucid::HasMany<Related> field");
    detail::declareRelation<T, H>(m_, &detail::makeHasMany, holder, name, options);
    return *this;
}

template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::manyToMany(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<ManyToMany<typename H::Related>, H>, "lucid: manyToMany() needs a lucid::ManyToMany<Related> field");
    detail::declareRelation<T, H>(m_, &detail::makeManyToMany, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::hasManyThrough(H T::*holder, std::string_view name, const typename H::Options& options) {
    using Through = typename H::ThroughModel;
    static_assert(std::is_base_of_v<HasManyThrough<typename H::Related, Through>, H>,
                  "lucid: hasManyThrough() needs a lucid::HasManyThrough<Related, Through> field");
    detail::declareRelation<T, H>(m_, &detail::makeHasManyThrough, holder, name, options, &Through::definition);
    return *this;
}

}  // namespace lucid
