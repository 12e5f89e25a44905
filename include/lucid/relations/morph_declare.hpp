#pragma once
// Declaring polymorphic relations in define(), lucid::morphMap, and the client of a morphTo
// (related(&Comment::commentable).associate / dissociate).
#include <lucid/detail/relation_persistence.hpp>
#include <lucid/model.hpp>
#include <lucid/relations/declare.hpp>
#include <lucid/relations/morph_holders.hpp>

namespace lucid {

// The string stored in a morph's type column for M (instead of its name): call it once per model, before first use.
template <class M> void morphMap(std::string alias) { detail::registerMorphAlias(M::definition(), std::move(alias)); }

namespace detail {

// A preload callback on a morphTo runs on the query of each type present: a generic lambda sees
// ModelQuery<Post>& in one, ModelQuery<Video>& in the other.
template <class... Ts> struct MorphTargets {
    static constexpr bool isMorphTargets = true;
    template <class F> static QueryCallback wrap(F callback) {
        return [callback = std::move(callback)](ModelQueryCore& core) mutable {
            (void)((&core.meta() == &Ts::meta() ? (runAs<Ts>(callback, core), true) : false) || ...);
        };
    }
    template <class M, class F> static void runAs(F& callback, ModelQueryCore& core) {
        if constexpr (std::is_invocable_v<F&, ModelQuery<M>&>) {
            ModelQuery<M> q(std::move(core));
            callback(q);
            core = std::move(q.core());
        }
    }
};

// Access to a MorphTo<Ts...> at a byte offset inside its model.
template <class H> class MorphToAt final : public HolderAccess {
public:
    explicit MorphToAt(std::size_t offset) : off_(offset) {}
    bool isMany() const override { return false; }
    bool isLoaded(const void* parent) const override { return ref(parent).isLoaded(); }
    void setOne(void* parent, std::shared_ptr<void> related) const override { setAt(parent, 0, std::move(related)); }
    void setMany(void* parent, std::vector<std::shared_ptr<void>> related) const override {
        setAt(parent, 0, related.empty() ? nullptr : std::move(related.front()));
    }
    void setAt(void* parent, std::size_t type, std::shared_ptr<void> related) const override { ref(parent).setShared(type, std::move(related)); }
    std::size_t typeAt(const void* parent) const override { return ref(parent).typeIndex(); }
    void reset(void* parent) const override { ref(parent).reset(); }
    std::vector<void*> items(const void* parent) const override {
        void* p = ref(parent).raw();
        return p ? std::vector<void*>{p} : std::vector<void*>{};
    }

private:
    H& ref(void* p) const { return *reinterpret_cast<H*>(static_cast<char*>(p) + off_); }
    const H& ref(const void* p) const { return *reinterpret_cast<const H*>(static_cast<const char*>(p) + off_); }
    std::size_t off_;
};

template <class H> std::unique_ptr<HolderAccess> makeMorphToHolder(std::size_t offset) { return std::make_unique<MorphToAt<H>>(offset); }

// The scalars of MorphOptions into the untyped configuration.
void setMorphKeys(RelationConfig& c, const std::string& morphName, const std::string& typeKey, const std::string& idKey,
                  const std::string& localKey, const std::string& pivotTable, const std::string& serializeAs, bool hidden);

[[noreturn]] void throwMorphToOnQuery(const ModelMeta& m, std::string_view name);

template <class T, class H, class R>
void declareMorph(ModelMeta& m, RelationFactory make, H T::*holder, std::string_view name, const MorphOptions<R>& o,
                  const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(), std::unique_ptr<HolderAccess> (*access)(std::size_t),
                  std::vector<MorphTarget> targets = {}) {
    RelationConfig config;
    setMorphKeys(config, o.morphName, o.typeKey, o.idKey, o.localKey, o.pivotTable, o.serializeAs, o.hidden);
    if constexpr (!std::is_void_v<R>) {
        if (o.onQuery) config.onQuery = wrapCallback<R>(o.onQuery);
    } else if (o.onQuery) {
        throwMorphToOnQuery(m, name);
    }
    config.morphTargets = std::move(targets);
    addRelation(m, make, name, related, relatedDefinition, access, memberOffset(*static_cast<const T*>(m.defaults), holder), &holder,
                sizeof holder, config);
}
template <class T, class H> void declareMorphMany(ModelMeta& m, RelationFactory make, H T::*holder, std::string_view name,
                                                  const typename H::Options& o) {
    using R = typename H::Related;
    declareMorph<T, H, R>(m, make, holder, name, o, &R::meta, &R::definition, &makeHolder<H>);
}

template <class... Ts> struct MorphToOf;
template <class... Ts> struct MorphToOf<MorphTo<Ts...>> {
    static std::vector<MorphTarget> targets() { return {MorphTarget{&Ts::meta, &Ts::definition}...}; }
};

}  // namespace detail

template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::morphTo(H T::*holder, std::string_view name, const typename H::Options& options) {
    auto targets = detail::MorphToOf<H>::targets();  // fails to compile unless H is a lucid::MorphTo<...>
    detail::declareMorph<T, H, void>(m_, &detail::makeMorphTo, holder, name, options, targets[0].meta, targets[0].definition,
                                     &detail::makeMorphToHolder<H>, targets);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::morphOne(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<MorphOne<typename H::Related>, H>, "lucid: morphOne() needs a lucid::MorphOne<Related> field");
    detail::declareMorphMany<T, H>(m_, &detail::makeMorphOne, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::morphMany(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<MorphMany<typename H::Related>, H>, "lucid: morphMany() needs a lucid::MorphMany<Related> field");
    detail::declareMorphMany<T, H>(m_, &detail::makeMorphMany, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::morphToMany(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<MorphToMany<typename H::Related>, H>, "lucid: morphToMany() needs a lucid::MorphToMany<Related> field");
    detail::declareMorphMany<T, H>(m_, &detail::makeMorphToMany, holder, name, options);
    return *this;
}
template <class T> template <class H>
ModelDefinition<T>& ModelDefinition<T>::morphedByMany(H T::*holder, std::string_view name, const typename H::Options& options) {
    static_assert(std::is_base_of_v<MorphedByMany<typename H::Related>, H>,
                  "lucid: morphedByMany() needs a lucid::MorphedByMany<Related> field");
    detail::declareMorphMany<T, H>(m_, &detail::makeMorphedByMany, holder, name, options);
    return *this;
}

// related(&Comment::commentable): associate any of the models of the MorphTo, or none.
template <class T, class... Ts> class MorphToClient {
public:
    MorphToClient(T& parent, detail::Relation& relation, MorphTo<Ts...>& holder) : parent_(parent), r_(relation), holder_(holder) {}

    // Saves `related` when new or dirty, sets the type and id columns and saves the parent, in one transaction.
    template <class M> void associate(M& related) {
        static_assert(MorphTo<Ts...>::template indexOf<M>() < sizeof...(Ts), "lucid: associate() takes one of the models of the MorphTo<...>");
        detail::morph_to::associate(r_, &parent_, M::meta(), &related);
        holder_.set(related);
    }
    // Sets both columns to null (they must be std::optional) and saves; the holder is loaded as null.
    void dissociate() {
        detail::morph_to::dissociate(r_, &parent_);
        holder_.setNull();
    }

private:
    T& parent_;
    detail::Relation& r_;
    MorphTo<Ts...>& holder_;
};

}  // namespace lucid
