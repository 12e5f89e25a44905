#pragma once
// Model factories (Lucid's): model instances for tests and seeders, with numbered defaults, named states,
// merged attributes and related rows, made in memory (make) or inserted in one transaction (create).
#include <lucid/model.hpp>
#include <lucid/relations/clients.hpp>

#include <atomic>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lucid {

// What a factory's define function is given for each instance.
class FactoryContext {
public:
    FactoryContext(int64_t sequence, Transaction* trx) : sequence_(sequence), trx_(trx) {}
    // 1, 2, 3... per factory (and its copies), across make and create.
    int64_t sequence() const { return sequence_; }
    // The transaction create() inserts in; nullptr for make().
    Transaction* transaction() const { return trx_; }

private:
    int64_t sequence_;
    Transaction* trx_;
};

namespace detail {
// The untyped part of a factory (src/orm/factory/): its counter and the names of its states and relations.
class FactoryCore {
public:
    explicit FactoryCore(std::string model) : model_(std::move(model)) {}
    int64_t nextSequence() { return ++sequence_; }
    // Index of the state's callback; a name defined again replaces the earlier callback.
    std::size_t defineState(std::string name);
    // Throws Lucid's "Cannot apply undefined state" naming the state.
    std::size_t stateIndex(std::string_view name) const;
    std::size_t defineRelation(std::string name);
    // Throws Lucid's "Cannot reference ... relationship" naming the relation.
    std::size_t relationIndex(std::string_view name) const;

private:
    std::string model_;
    std::atomic<int64_t> sequence_{0};
    std::vector<std::string> states_, relations_;
};
// Runs createOne(i, trx) for i in [0, count) in one transaction (a savepoint when `client` is one) of
// `client`, or of the model's connection when it is null.
void createInTransaction(const ModelMeta& meta, QueryClient* client, std::size_t count,
                         const std::function<void(std::size_t, Transaction&)>& createOne);
// Thrown by with() on a belongsTo/hasOne relation asked for more than one related row.
[[noreturn]] void throwSingleRelationCount(const Relation& r, std::size_t count);
}  // namespace detail

template <class T> class FactoryBuilder;

// lucid::factory<T>(define): states and relations are defined on it; apply/merge/with start a builder.
template <class T> class Factory {
public:
    using Define = std::function<T(FactoryContext&)>;
    explicit Factory(Define define) : def_(std::make_shared<Def>(std::move(define))) {}

    // A named change applied after the defaults (apply("admin")).
    Factory& state(std::string name, std::function<void(T&)> fn) & {
        const std::size_t i = def_->core.defineState(std::move(name));
        if (i == def_->states.size()) def_->states.push_back(std::move(fn));
        else def_->states[i] = std::move(fn);
        return *this;
    }
    Factory&& state(std::string name, std::function<void(T&)> fn) && { return std::move(state(std::move(name), std::move(fn))); }

    // The factory that makes the related rows of `relation` for with().
    template <class H, class R> Factory& relation(H T::*relation, const Factory<R>& related) & {
        static_assert(std::is_same_v<typename H::Related, R>, "relation(): the factory must make the relation's related model");
        static_assert(!requires { typename H::ThroughModel; }, "\"hasManyThrough\" relationship does not have any persistance API");
        const std::size_t i = def_->core.defineRelation(detail::relationOf(relation).name);
        auto held = std::make_shared<Factory<R>>(related);
        if (i == def_->relations.size()) def_->relations.push_back(std::move(held));
        else def_->relations[i] = std::move(held);
        return *this;
    }
    template <class H, class R> Factory&& relation(H T::*rel, const Factory<R>& related) && { return std::move(relation(rel, related)); }

    FactoryBuilder<T> builder() const { return FactoryBuilder<T>(def_); }
    template <class... S> FactoryBuilder<T> apply(const S&... states) const { return builder().apply(states...); }
    FactoryBuilder<T> merge(Attributes values) const { return builder().merge(std::move(values)); }
    template <class H, class... F> FactoryBuilder<T> with(H T::*relation, std::size_t count = 1, F&&... tweak) const {
        return builder().with(relation, count, std::forward<F>(tweak)...);
    }
    T make() const { return builder().make(); }
    std::vector<T> makeMany(std::size_t count) const { return builder().makeMany(count); }
    T create() const { return builder().create(); }
    T create(QueryClient& client) const { return builder().create(client); }
    std::vector<T> createMany(std::size_t count) const { return builder().createMany(count); }
    std::vector<T> createMany(std::size_t count, QueryClient& client) const { return builder().createMany(count, client); }

private:
    template <class> friend class FactoryBuilder;
    struct Def {
        explicit Def(Define d) : core(detail::demangledModelName(typeid(T).name())), define(std::move(d)) {}
        detail::FactoryCore core;
        Define define;
        std::vector<std::function<void(T&)>> states;
        std::vector<std::shared_ptr<void>> relations;  // Factory<R> of each relation, by the core's index
    };
    std::shared_ptr<Def> def_;
};

template <class T, class F> requires std::invocable<F&, FactoryContext&> Factory<T> factory(F&& define) {
    return Factory<T>(typename Factory<T>::Define(std::forward<F>(define)));
}

// One use of a factory: the states to apply, the attributes to merge and the related rows to create.
// Each instance is made as: define(), then the states in the order applied, then the merged attributes.
template <class T> class FactoryBuilder {
public:
    using Def = typename Factory<T>::Def;
    explicit FactoryBuilder(std::shared_ptr<Def> def) : def_(std::move(def)) {}

    // An unknown name throws at once, naming it. A state applied twice runs twice.
    template <class... S> FactoryBuilder& apply(const S&... states) & {
        (applied_.push_back(def_->core.stateIndex(states)), ...);
        return *this;
    }
    template <class... S> FactoryBuilder&& apply(const S&... states) && { return std::move(apply(states...)); }
    FactoryBuilder& merge(const Attributes& values) & {
        for (const auto& kv : values) merged_.push_back(kv);
        return *this;
    }
    FactoryBuilder&& merge(const Attributes& values) && { return std::move(merge(values)); }

    // create() also creates `count` rows of the relation with the factory given to relation(), each with
    // this row's key; tweak(FactoryBuilder<R>&) may apply states or merge attributes to them.
    template <class H> FactoryBuilder& with(H T::*relation, std::size_t count = 1) & {
        return with(relation, count, [](FactoryBuilder<typename H::Related>&) {});
    }
    template <class H, class F> FactoryBuilder& with(H T::*relation, std::size_t count, F tweak) & {
        using R = typename H::Related;
        detail::Relation& r = detail::relationOf(relation);
        const std::size_t i = def_->core.relationIndex(r.name);
        FactoryBuilder<R> related(std::static_pointer_cast<Factory<R>>(def_->relations[i])->def_);
        tweak(related);
        constexpr bool single = std::is_base_of_v<OneHolder<R>, H>;
        if (single && count != 1) detail::throwSingleRelationCount(r, count);
        With w{std::is_same_v<H, BelongsTo<R>>, nullptr};
        w.create = [relation, count, related = std::move(related)](T& parent, Transaction& trx) {
            std::vector<R> rows;
            for (std::size_t n = 0; n < count; ++n) {
                if constexpr (std::is_same_v<H, BelongsTo<R>>) {
                    rows.push_back(related.createOne(trx, [](R& r) { r.save(); }));
                    parent.related(relation).associate(rows.back());
                } else {
                    rows.push_back(related.createOne(trx, [&](R& r) { parent.related(relation).save(r); }));
                }
            }
            if constexpr (single) (parent.*relation).set(rows.front());
            else (parent.*relation).set(rows);
        };
        withs_.push_back(std::move(w));
        return *this;
    }
    template <class H, class... F> FactoryBuilder&& with(H T::*relation, std::size_t count = 1, F&&... tweak) && {
        return std::move(with(relation, count, std::forward<F>(tweak)...));
    }

    // Not inserted; relations are not made.
    T make() const { return makeOne(nullptr); }
    std::vector<T> makeMany(std::size_t count) const {
        std::vector<T> out;
        for (std::size_t i = 0; i < count; ++i) out.push_back(makeOne(nullptr));
        return out;
    }
    // Inserted with the related rows of with(), in one transaction: a failure leaves none of them.
    T create() const { return std::move(createAll(1, nullptr).front()); }
    T create(QueryClient& client) const { return std::move(createAll(1, &client).front()); }
    std::vector<T> createMany(std::size_t count) const { return createAll(count, nullptr); }
    std::vector<T> createMany(std::size_t count, QueryClient& client) const { return createAll(count, &client); }

private:
    template <class> friend class FactoryBuilder;
    struct With {
        bool beforeParent;  // belongsTo: the related row is created first, so the parent's foreign key is set on insert
        std::function<void(T&, Transaction&)> create;
    };

    T makeOne(Transaction* trx) const {
        FactoryContext ctx(def_->core.nextSequence(), trx);
        T model = def_->define(ctx);
        for (std::size_t i : applied_) def_->states[i](model);
        if (!merged_.empty()) model.merge(merged_);
        return model;
    }
    template <class Save> T createOne(Transaction& trx, Save save) const {
        T model = makeOne(&trx);
        model.useTransaction(trx);
        for (const auto& w : withs_)
            if (w.beforeParent) w.create(model, trx);
        save(model);
        for (const auto& w : withs_)
            if (!w.beforeParent) w.create(model, trx);
        return model;
    }
    std::vector<T> createAll(std::size_t count, QueryClient* client) const {
        std::vector<T> out;
        out.reserve(count);
        detail::createInTransaction(T::meta(), client, count,
                                    [&](std::size_t, Transaction& trx) { out.push_back(createOne(trx, [](T& m) { m.save(); })); });
        return out;
    }

    std::shared_ptr<Def> def_;
    std::vector<std::size_t> applied_;
    Attributes merged_;
    std::vector<With> withs_;
};

}  // namespace lucid
