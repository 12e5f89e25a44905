#pragma once
// related(&Model::relation): persistence and the scoped query of one model's relation.
// Each call runs in one managed transaction (a savepoint inside the model's own transaction), and on
// failure leaves the database and the C++ objects as they were.
#include <lucid/model.hpp>
#include <lucid/detail/relation_persistence.hpp>
#include <lucid/relations/declare.hpp>

#include <initializer_list>
#include <vector>

namespace lucid {

template <class T, class R> class RelatedClientBase {
public:
    RelatedClientBase(T& parent, detail::Relation& relation) : parent_(parent), r_(relation) {}
    // The related rows of this parent, as a query (onQuery applied).
    ModelQuery<R> query() {
        auto client = detail::sharedClientFor(T::meta(), &parent_);
        detail::ModelQueryCore core = r_.relatedQuery(*client, &parent_);
        core.holdClient(std::move(client));
        return ModelQuery<R>(std::move(core));
    }

protected:
    T& parent_;
    detail::Relation& r_;
};

template <class T, class R> class BelongsToClient : public RelatedClientBase<T, R> {
public:
    BelongsToClient(T& parent, detail::Relation& relation, BelongsTo<R>& holder) : RelatedClientBase<T, R>(parent, relation), holder_(holder) {}

    // Saves `related` when new or dirty, sets the foreign key and saves the parent; then the holder holds it.
    void associate(R& related) {
        detail::belongs_to::associate(this->r_, &this->parent_, &related);
        holder_.set(related);
    }
    // Sets the foreign key to null and saves; the holder is loaded as null.
    void dissociate() {
        detail::belongs_to::dissociate(this->r_, &this->parent_);
        holder_.setNull();
    }

private:
    BelongsTo<R>& holder_;
};

template <class T, class R> class HasOneClient : public RelatedClientBase<T, R> {
public:
    HasOneClient(T& parent, detail::Relation& relation, OneHolder<R>&) : RelatedClientBase<T, R>(parent, relation) {}
    HasOneClient(T& parent, detail::Relation& relation) : RelatedClientBase<T, R>(parent, relation) {}

    // Saves the parent, sets related's foreign key from the parent's local key and saves related.
    void save(R& related) { detail::has_one::save(this->r_, &this->parent_, &related); }
    R create(R values) {
        save(values);
        return values;
    }
    R firstOrCreate(const Attributes& search, const Attributes& extra = {}) {
        R out{};
        detail::has_one::firstOrCreate(this->r_, &this->parent_, &out, search, extra);
        return out;
    }
    R updateOrCreate(const Attributes& search, const Attributes& update) {
        R out{};
        detail::has_one::updateOrCreate(this->r_, &this->parent_, &out, search, update);
        return out;
    }
};

template <class T, class R> class HasManyClient : public HasOneClient<T, R> {
public:
    HasManyClient(T& parent, detail::Relation& relation, ManyHolder<R>&) : HasOneClient<T, R>(parent, relation) {}

    void saveMany(std::vector<R>& related) { detail::has_many::saveMany(this->r_, &this->parent_, detail::addressesOf(related)); }
    std::vector<R> createMany(std::vector<R> rows) {
        saveMany(rows);
        return rows;
    }
    // Rows of this parent matching each payload row on `keys` are fetched; the others are created.
    std::vector<R> fetchOrCreateMany(std::vector<R> rows, const std::vector<std::string>& keys) { return manyByKeys(std::move(rows), keys, false); }
    // Like fetchOrCreateMany, and the fetched rows are updated with the payload's other columns.
    std::vector<R> updateOrCreateMany(std::vector<R> rows, const std::vector<std::string>& keys) { return manyByKeys(std::move(rows), keys, true); }

private:
    std::vector<R> manyByKeys(std::vector<R> rows, const std::vector<std::string>& keys, bool update) {
        std::vector<R> out;
        detail::has_many::manyByKeys(this->r_, &this->parent_, detail::addressesOf(rows), keys, update, &out,
                                     [](void* v, const void* m) { static_cast<std::vector<R>*>(v)->push_back(*static_cast<const R*>(m)); });
        return out;
    }
};

template <class T, class R> class ManyToManyClient : public RelatedClientBase<T, R> {
public:
    using PivotRows = detail::PivotRows;
    ManyToManyClient(T& parent, detail::Relation& relation, ManyHolder<R>&) : RelatedClientBase<T, R>(parent, relation) {}

    // attach({1, 2}): one multi-row INSERT into the pivot table.
    void attach(const Bindings& ids) { attachRows(rowsOf(ids)); }
    // attach({{1, {{"proficiency", "expert"}}}}): with pivot attributes.
    void attach(std::initializer_list<std::pair<Value, Attributes>> rows) { attachRows(PivotRows(rows)); }
    // The same from a vector built at run time (a separate name: a vector overload would make attach({1}) ambiguous).
    void attachRows(const PivotRows& rows) { detail::many_to_many::attach(this->r_, &this->parent_, rows); }
    void detach(const Bindings& ids) { detail::many_to_many::detach(this->r_, &this->parent_, &ids); }
    void detach() { detail::many_to_many::detach(this->r_, &this->parent_, nullptr); }
    // Inserts the missing ids, updates changed pivot attributes, and (unless detach is false) deletes the rest.
    void sync(const Bindings& ids, bool detach = true) { syncRows(rowsOf(ids), detach); }
    void sync(std::initializer_list<std::pair<Value, Attributes>> rows, bool detach = true) { syncRows(PivotRows(rows), detach); }
    void syncRows(const PivotRows& rows, bool detach = true) { detail::many_to_many::sync(this->r_, &this->parent_, rows, detach); }
    // Saves the parent and the related model, then attaches it (unless attached already).
    void save(R& related, const Attributes& pivot = {}) { detail::many_to_many::save(this->r_, &this->parent_, &related, pivot); }
    void saveMany(std::vector<R>& related) { detail::many_to_many::saveMany(this->r_, &this->parent_, detail::addressesOf(related)); }
    R create(R values, const Attributes& pivot = {}) {
        save(values, pivot);
        return values;
    }
    std::vector<R> createMany(std::vector<R> rows) {
        saveMany(rows);
        return rows;
    }

private:
    static PivotRows rowsOf(const Bindings& ids) {
        PivotRows rows;
        rows.reserve(ids.size());
        for (const auto& id : ids) rows.emplace_back(id, Attributes{});
        return rows;
    }
};

template <class T, class R> class HasManyThroughClient : public RelatedClientBase<T, R> {
public:
    HasManyThroughClient(T& parent, detail::Relation& relation, ManyHolder<R>&) : RelatedClientBase<T, R>(parent, relation) {}
};

// ---- BaseModel's relation calls ----

template <class T> template <class H> auto BaseModel<T>::related(H T::*relation) {
    using Client = typename H::template Client<T>;
    return Client(*self(), detail::relationOf(relation), self()->*relation);
}
template <class T> template <class H> T& BaseModel<T>::load(H T::*relation) {
    detail::loadRelation(meta(), self(), detail::relationOf(relation), nullptr);
    return *self();
}
template <class T> template <class H, class F> T& BaseModel<T>::load(H T::*relation, F&& callback) {
    detail::loadRelation(meta(), self(), detail::relationOf(relation), detail::wrapCallback<typename H::Related>(std::forward<F>(callback)));
    return *self();
}
template <class T> template <class H> T& BaseModel<T>::loadOnce(H T::*relation) {
    if (!(self()->*relation).isLoaded()) load(relation);
    return *self();
}
template <class T> template <class H> T& BaseModel<T>::loadCount(H T::*relation) {
    detail::loadRelationCount(meta(), self(), detail::relationOf(relation));
    return *self();
}

// ---- checking the table structure ----

struct SchemaProblem {
    std::string message;
};
template <class... Models> std::vector<SchemaProblem> checkSchema(QueryClient& client) {
    std::vector<SchemaProblem> out;
    for (auto& m : detail::checkModelSchema(client, {&Models::meta()...})) out.push_back(SchemaProblem{std::move(m)});
    return out;
}

}  // namespace lucid
