#pragma once
// BaseModel<T>: a plain struct with public fields becomes a Lucid model.
#include <lucid/key.hpp>
#include <lucid/model_definition.hpp>
#include <lucid/model_query.hpp>

#include <initializer_list>
#include <optional>
#include <typeinfo>
#include <vector>

namespace lucid {

template <class T> class BaseModel {
public:
    // ---- the model's descriptor, built and checked on first use ----
    static const detail::ModelMeta& meta() { return holder().booted(); }
    static const detail::ModelMeta& definition() { return holder().defined(); }

    // ---- static API; each also takes a QueryClient& last ----
    static ModelQuery<T> query() { return ModelQuery<T>(detail::ModelQueryCore(&meta(), nullptr)); }
    static ModelQuery<T> query(QueryClient& client) { return ModelQuery<T>(detail::ModelQueryCore(&meta(), &client)); }

    static std::optional<T> find(Value id) { return byPrimary(nullptr, std::move(id)); }
    static std::optional<T> find(Value id, QueryClient& c) { return byPrimary(&c, std::move(id)); }
    static T findOrFail(Value id) { return orFail(find(std::move(id))); }
    static T findOrFail(Value id, QueryClient& c) { return orFail(find(std::move(id), c)); }
    template <class C> static std::optional<T> findBy(const C& col, Value v) { return query().where(col, std::move(v)).first(); }
    template <class C> static std::optional<T> findBy(const C& col, Value v, QueryClient& c) { return query(c).where(col, std::move(v)).first(); }
    template <class C> static T findByOrFail(const C& col, Value v) { return orFail(findBy(col, std::move(v))); }
    template <class C> static T findByOrFail(const C& col, Value v, QueryClient& c) { return orFail(findBy(col, std::move(v), c)); }
    static std::vector<T> findMany(Bindings ids) { return many(query(), std::move(ids)); }
    static std::vector<T> findMany(Bindings ids, QueryClient& c) { return many(query(c), std::move(ids)); }
    static std::optional<T> first() { return query().first(); }
    static std::optional<T> first(QueryClient& c) { return query(c).first(); }
    static T firstOrFail() { return query().firstOrFail(); }
    static T firstOrFail(QueryClient& c) { return query(c).firstOrFail(); }
    // Every row, newest primary key first (as Lucid's all()).
    static std::vector<T> all() { return ordered(query()); }
    static std::vector<T> all(QueryClient& c) { return ordered(query(c)); }

    static T create(T values) { return created(std::move(values), nullptr); }
    static T create(T values, QueryClient& c) { return created(std::move(values), &c); }
    static std::vector<T> createMany(std::vector<T> rows) { return createdMany(std::move(rows), nullptr); }
    static std::vector<T> createMany(std::vector<T> rows, QueryClient& c) { return createdMany(std::move(rows), &c); }

    static T firstOrNew(const Attributes& search, const Attributes& extra = {}) { return orNew(query(), search, extra); }
    static T firstOrNew(const Attributes& search, const Attributes& extra, QueryClient& c) { return orNew(query(c), search, extra); }
    static T firstOrCreate(const Attributes& search, const Attributes& extra = {}) { return orCreate(nullptr, search, extra); }
    static T firstOrCreate(const Attributes& search, const Attributes& extra, QueryClient& c) { return orCreate(&c, search, extra); }
    static T updateOrCreate(const Attributes& search, const Attributes& update) { return upsert(nullptr, search, update); }
    static T updateOrCreate(const Attributes& search, const Attributes& update, QueryClient& c) { return upsert(&c, search, update); }

    // ---- composite keys, many-row upserts, truncate (API.md §12, §13) ----
    static std::optional<T> find(const Key& key) { return byKey(nullptr, key); }
    static std::optional<T> find(const Key& key, QueryClient& c) { return byKey(&c, key); }
    static T findOrFail(const Key& key) { return orFail(find(key)); }
    static T findOrFail(const Key& key, QueryClient& c) { return orFail(find(key, c)); }
    // One model per row, in the rows' order: the row matched on `key` (fetched; updated from the row), else created.
    template <class C> static std::vector<T> updateOrCreateMany(const C& key, std::vector<T> rows) { return manyBy(nullptr, key, rows, true); }
    template <class C> static std::vector<T> updateOrCreateMany(const C& key, std::vector<T> rows, QueryClient& c) { return manyBy(&c, key, rows, true); }
    template <class C> static std::vector<T> fetchOrCreateMany(const C& key, std::vector<T> rows) { return manyBy(nullptr, key, rows, false); }
    template <class C> static std::vector<T> fetchOrCreateMany(const C& key, std::vector<T> rows, QueryClient& c) { return manyBy(&c, key, rows, false); }
    static void truncate(bool cascade = false) { detail::defaultClient(meta()).truncate(meta().table, cascade); }
    static void truncate(bool cascade, QueryClient& c) { c.truncate(meta().table, cascade); }

    // ---- instance API ----
    void save() { detail::saveModel(meta(), self()); }
    void remove() { detail::removeModel(meta(), self()); }
    void refresh() { detail::refreshModel(meta(), self()); }
    T& merge(const Attributes& values) { detail::mergeAttributes(meta(), self(), values); return *self(); }
    template <class J> requires std::same_as<J, nlohmann::json>
    T& merge(const J& values) { detail::mergeJson(meta(), self(), values); return *self(); }
    T& fill(const Attributes& values) {
        detail::resetToDefaults(meta(), self());
        return merge(values);
    }
    template <class J> requires std::same_as<J, nlohmann::json>
    T& fill(const J& values) {
        detail::resetToDefaults(meta(), self());
        return merge(values);
    }

    // soft deletes (m.softDeletes): remove() sets deletedAt; restore() clears it, forceDelete() DELETEs the row
    bool isTrashed() const { return detail::isTrashed(meta(), self()); }
    void restore() { detail::restoreModel(meta(), self()); }
    void forceDelete() { detail::forceDeleteModel(meta(), self()); }

    bool isPersisted() const { return state_.persisted(); }
    bool isLocal() const { return !state_.fetched(); }  // made in this process, saved or not (Lucid's $isLocal)
    bool isDeleted() const { return state_.deleted(); }
    bool isDirty() const { return !dirty().empty(); }
    Attributes dirty() const { return detail::dirtyAttributes(meta(), self()); }
    Attributes original() const { return detail::originalAttributes(meta(), self()); }
    const Attributes& extras() const { return state_.extras.all(); }
    // One extra by name (Lucid's $extras.posts_count); null when the query did not select it.
    Value extra(std::string_view name) const {
        for (const auto& [k, v] : state_.extras)
            if (k == name) return v;
        return Value();
    }
    void useTransaction(Transaction& trx) { state_.setTrx(trx.transactionCore()); }
    // nlohmann::json, named through T so that only a TU that calls these needs <nlohmann/json.hpp>
    // options: Lucid's cherry-picking of fields and nested relations (SerializeOptions)
    typename detail::NamedThrough<nlohmann::json, T>::type serialize(const SerializeOptions& options = {}) const {
        return detail::serializeModel(meta(), self(), &options);
    }
    typename detail::NamedThrough<nlohmann::json, T>::type toJSON() const { return serialize(); }

    // Relations: related(), load(), loadOnce(), loadCount() are defined in relations/related.hpp.
    template <class H> auto related(H T::*relation);
    template <class H> T& load(H T::*relation);
    template <class H, class F> T& load(H T::*relation, F&& callback);
    template <class H> T& loadOnce(H T::*relation);
    template <class H> T& loadCount(H T::*relation);

private:
    T* self() { return static_cast<T*>(this); }
    const T* self() const { return static_cast<const T*>(this); }

    static void build(detail::ModelMeta& m) {
        m.name = detail::demangledModelName(typeid(T).name());
        static const T defaults{};  // for fill(), and to measure where each field lives
        m.defaults = &defaults;
        ModelDefinition<T> d(m);
        T::define(d);
        m.state = [](void* p) -> detail::ModelState& { return static_cast<T*>(p)->state_; };
        m.cstate = [](const void* p) -> const detail::ModelState& { return static_cast<const T*>(p)->state_; };
        m.create = []() -> std::shared_ptr<void> { return std::make_shared<T>(); };
        detail::finalizeMeta(m);
    }
    static const detail::MetaHolder& holder() {
        static const detail::MetaHolder h(&build);
        return h;
    }

    static std::optional<T> byPrimary(QueryClient* c, Value id) {
        std::optional<T> out(std::in_place);
        if (!detail::findInto(meta(), c, std::move(id), &*out)) out.reset();
        return out;
    }
    static std::optional<T> byKey(QueryClient* c, const Key& key) {
        std::optional<T> out(std::in_place);
        if (!detail::findKeyInto(meta(), c, key.values, &*out)) out.reset();
        return out;
    }
    template <class C> static std::vector<T> manyBy(QueryClient* c, const C& key, std::vector<T>& rows, bool update) {
        std::string column;
        if constexpr (std::is_member_object_pointer_v<C>) column = detail::memberColumn<T>(meta(), key);
        else column = std::string(std::string_view(key));
        std::vector<void*> in, out;
        std::vector<std::shared_ptr<void>> fetched;
        for (auto& r : rows) in.push_back(&r);
        detail::manyByKey(meta(), c, column, in, update, update ? "updateOrCreateMany" : "fetchOrCreateMany", out, fetched);
        std::vector<T> result;
        result.reserve(out.size());
        for (void* m : out) result.push_back(*static_cast<T*>(m));
        return result;
    }
    static std::vector<T> many(ModelQuery<T> q, Bindings ids) {
        const auto& m = meta();
        return q.whereIn(m.primaryColumn().column, std::move(ids)).orderBy(m.primaryColumn().column, Order::Desc).all();
    }
    static std::vector<T> ordered(ModelQuery<T> q) {
        for (int i : meta().keys) q.orderBy(meta().columns[static_cast<std::size_t>(i)].column, Order::Desc);  // each column of a composite key
        return q.all();
    }
    static T orFail(std::optional<T> r) {
        if (!r) detail::throwRowNotFound(meta());
        return std::move(*r);
    }
    static T created(T values, QueryClient* c) {
        if (c) values.useTransactionOf(*c);
        values.save();
        return values;
    }
    static std::vector<T> createdMany(std::vector<T> rows, QueryClient* c) {
        std::vector<void*> models;
        models.reserve(rows.size());
        for (auto& r : rows) models.push_back(&r);
        detail::createModels(meta(), c ? *c : detail::defaultClient(meta()), models);
        return rows;
    }
    static T orNew(ModelQuery<T> q, const Attributes& search, const Attributes& extra) {
        for (const auto& [k, v] : search) q.where(k, v);
        if (auto found = q.first()) return std::move(*found);
        T fresh{};
        if (q.core().explicitClient()) fresh.useTransactionOf(*q.core().explicitClient());
        fresh.merge(search);
        fresh.merge(extra);
        return fresh;
    }
    // In a transaction on PostgreSQL the search locks its row (FOR UPDATE), so two writers cannot both create.
    static T orCreate(QueryClient* c, const Attributes& search, const Attributes& extra) {
        QueryClient& client = c ? *c : detail::defaultClient(meta());
        if (client.transactionCore()) return orCreateIn(client, search, extra);
        return client.transaction([&](Transaction& trx) { return orCreateIn(trx, search, extra); });
    }
    static T orCreateIn(QueryClient& client, const Attributes& search, const Attributes& extra) {
        auto q = query(client);
        q.forUpdate();
        T row = orNew(std::move(q), search, extra);
        if (!row.isPersisted()) row.save();
        return row;
    }
    static T upsert(QueryClient* c, const Attributes& search, const Attributes& update) {
        QueryClient& client = c ? *c : detail::defaultClient(meta());
        auto run = [&](QueryClient& in) {
            auto q = query(in);
            q.forUpdate();
            T row = orNew(std::move(q), search, {});
            row.merge(update);
            row.save();
            return row;
        };
        if (client.transactionCore()) return run(client);
        return client.transaction([&](Transaction& trx) { return run(trx); });
    }

    // Adopts the transaction behind a client, if it is one.
    void useTransactionOf(QueryClient& c) {
        if (auto core = c.transactionCore()) state_.setTrx(std::move(core));
        else state_.setClient(&c);
    }

    detail::ModelState state_;
};

}  // namespace lucid
