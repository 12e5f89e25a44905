#pragma once
// related(&Model::relation): persistence and the scoped query of one model's relation.
// Each call runs in one managed transaction (a savepoint inside the model's own transaction), and on
// failure leaves the database and the C++ objects as they were.
#include <lucid/model.hpp>
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
    ModelQuery<R> queryIn(QueryClient& c) { return ModelQuery<R>(r_.relatedQuery(c, &parent_)); }
    T& parent_;
    detail::Relation& r_;
};

template <class T, class R> class BelongsToClient : public RelatedClientBase<T, R> {
public:
    BelongsToClient(T& parent, detail::Relation& relation, BelongsTo<R>& holder) : RelatedClientBase<T, R>(parent, relation), holder_(holder) {}

    // Saves `related` when new or dirty, sets the foreign key and saves the parent; then the holder holds it.
    void associate(R& related) {
        detail::persistTogether(T::meta(), &this->parent_, {{&R::meta(), &related}}, [&](Transaction&) {
            if (!related.isPersisted() || related.isDirty()) related.save();
            detail::copyKeyToOwner(this->r_, &this->parent_, &related);
            this->parent_.save();
        });
        holder_.set(related);
    }
    // Sets the foreign key to null and saves; the holder is loaded as null.
    void dissociate() {
        detail::persistTogether(T::meta(), &this->parent_, {}, [&](Transaction&) {
            detail::copyKeyToOwner(this->r_, &this->parent_, nullptr);
            this->parent_.save();
        });
        holder_.setNull();
    }

private:
    BelongsTo<R>& holder_;
};

template <class T, class R> class HasOneClient : public RelatedClientBase<T, R> {
public:
    HasOneClient(T& parent, detail::Relation& relation, HasOne<R>& holder) : RelatedClientBase<T, R>(parent, relation), holder_(&holder) {}
    HasOneClient(T& parent, detail::Relation& relation) : RelatedClientBase<T, R>(parent, relation), holder_(nullptr) {}

    // Saves the parent, sets related's foreign key from the parent's local key and saves related.
    void save(R& related) {
        detail::persistTogether(T::meta(), &this->parent_, {{&R::meta(), &related}}, [&](Transaction&) {
            this->parent_.save();
            detail::copyKeyToRelated(this->r_, &this->parent_, &related);
            related.save();
        });
    }
    R create(R values) {
        save(values);
        return values;
    }
    R firstOrCreate(const Attributes& search, const Attributes& extra = {}) {
        R out{};
        detail::persistTogether(T::meta(), &this->parent_, {}, [&](Transaction& trx) {
            this->parent_.save();
            auto q = this->queryIn(trx);
            for (const auto& [k, v] : search) q.where(k, v);
            if (auto found = q.first()) {
                out = std::move(*found);
                return;
            }
            out.useTransaction(trx);
            out.merge(search).merge(extra);
            detail::copyKeyToRelated(this->r_, &this->parent_, &out);
            out.save();
        });
        return out;
    }
    R updateOrCreate(const Attributes& search, const Attributes& update) {
        R out{};
        detail::persistTogether(T::meta(), &this->parent_, {}, [&](Transaction& trx) {
            this->parent_.save();
            auto q = this->queryIn(trx);
            for (const auto& [k, v] : search) q.where(k, v);
            if (auto found = q.first()) out = std::move(*found);
            else out.merge(search);
            out.useTransaction(trx);
            out.merge(update);
            detail::copyKeyToRelated(this->r_, &this->parent_, &out);
            out.save();
        });
        return out;
    }

protected:
    HasOne<R>* holder_;
};

template <class T, class R> class HasManyClient : public HasOneClient<T, R> {
public:
    HasManyClient(T& parent, detail::Relation& relation, HasMany<R>&) : HasOneClient<T, R>(parent, relation) {}

    void saveMany(std::vector<R>& related) {
        std::vector<std::pair<const detail::ModelMeta*, void*>> models;
        for (auto& r : related) models.emplace_back(&R::meta(), &r);
        detail::persistTogether(T::meta(), &this->parent_, std::move(models), [&](Transaction&) {
            this->parent_.save();
            for (auto& r : related) {
                detail::copyKeyToRelated(this->r_, &this->parent_, &r);
                r.save();
            }
        });
    }
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
        if (keys.empty()) throw Error("E_MISSING_PREDICATE", "fetchOrCreateMany/updateOrCreateMany need at least one key to match on");
        const auto& rm = R::meta();
        for (const auto& k : keys) rm.column(k);  // unknown keys fail before any query
        std::vector<R> out;
        detail::persistTogether(T::meta(), &this->parent_, {}, [&](Transaction& trx) {
            this->parent_.save();
            std::vector<R> existing = this->queryIn(trx).all();
            const std::vector<std::string> fixed{this->r_.relatedKey->property};
            for (auto& row : rows) {
                R* match = nullptr;
                for (auto& e : existing)
                    if (detail::sameValues(rm, &e, &row, keys)) match = &e;
                if (match) {
                    if (update) {
                        detail::copyColumns(rm, match, &row, fixed);
                        match->save();
                    }
                    out.push_back(*match);
                } else {
                    row.useTransaction(trx);
                    detail::copyKeyToRelated(this->r_, &this->parent_, &row);
                    row.save();
                    out.push_back(row);
                }
            }
        });
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
    void attachRows(const PivotRows& rows) {
        onPivot([&](Transaction& trx) { detail::pivotAttach(this->r_, trx, &this->parent_, rows); });
    }
    void detach(const Bindings& ids) {
        onPivot([&](Transaction& trx) { detail::pivotDetach(this->r_, trx, &this->parent_, &ids); });
    }
    void detach() {
        onPivot([&](Transaction& trx) { detail::pivotDetach(this->r_, trx, &this->parent_, nullptr); });
    }
    // Inserts the missing ids, updates changed pivot attributes, and (unless detach is false) deletes the rest.
    void sync(const Bindings& ids, bool detach = true) { syncRows(rowsOf(ids), detach); }
    void sync(std::initializer_list<std::pair<Value, Attributes>> rows, bool detach = true) { syncRows(PivotRows(rows), detach); }
    void syncRows(const PivotRows& rows, bool detach = true) {
        onPivot([&](Transaction& trx) { detail::pivotSync(this->r_, trx, &this->parent_, rows, detach); });
    }
    // Saves the parent and the related model, then attaches it (unless attached already).
    void save(R& related, const Attributes& pivot = {}) {
        detail::persistTogether(T::meta(), &this->parent_, {{&R::meta(), &related}}, [&](Transaction& trx) {
            this->parent_.save();
            related.save();
            detail::pivotSync(this->r_, trx, &this->parent_, {{detail::pivotRelatedId(this->r_, &related), pivot}}, false);
        });
    }
    void saveMany(std::vector<R>& related) {
        std::vector<std::pair<const detail::ModelMeta*, void*>> models;
        for (auto& r : related) models.emplace_back(&R::meta(), &r);
        detail::persistTogether(T::meta(), &this->parent_, std::move(models), [&](Transaction& trx) {
            this->parent_.save();
            PivotRows rows;
            for (auto& r : related) {
                r.save();
                rows.emplace_back(detail::pivotRelatedId(this->r_, &r), Attributes{});
            }
            detail::pivotSync(this->r_, trx, &this->parent_, rows, false);
        });
    }
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
    template <class Fn> void onPivot(Fn fn) {
        detail::requireParentKey(this->r_, &this->parent_);
        detail::ClientHandle h = detail::clientFor(T::meta(), &this->parent_);
        h.get().transaction([&](Transaction& trx) { fn(trx); });
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
