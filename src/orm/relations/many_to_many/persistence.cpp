// manyToMany's persistence: attach, detach and sync rows of the pivot table; save related models and attach them.
#include <lucid/detail/relation_persistence.hpp>

#include "orm/fast/value_hash.hpp"
#include "orm/relations/common/persist.hpp"
#include "orm/relations/many_to_many/many_to_many.hpp"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace lucid::detail {
namespace {

const PivotKeys& pivotOf(const Relation& r) {
    const PivotKeys* p = r.pivot();
    if (!p) throw Error("E_NOT_MANY_TO_MANY", r.label() + " is a " + r.kind() + " relationship, not manyToMany");
    return *p;
}

// The pivot rows of one parent, in a client (a transaction of the caller's).
class PivotRowsOf {
public:
    PivotRowsOf(const Relation& r, QueryClient& client, const void* parent) : r_(r), p_(pivotOf(r)), client_(client) {
        requireParentKey(r, parent);
        key_ = r.ownerKey->access->get(parent);
    }

    void attach(const PivotRows& rows) {
        if (rows.empty()) return;
        const Value now = ManyToManyRelation::now();
        // rows with the same pivot columns go in one multi-row INSERT
        std::map<std::vector<std::string>, std::vector<Attributes>> groups;
        for (const auto& [id, attrs] : rows) {
            if (id.isNull()) throw Error("E_MISSING_RELATED_KEY", "Cannot attach a null id to " + r_.label());
            Attributes row{{p_.foreignKey, key_}, {p_.relatedForeignKey, id}};
            if (!p_.typeColumn.empty()) row.emplace_back(p_.typeColumn, morphTypeOf(*p_.typeOf));
            for (const auto& a : attrs) row.push_back(a);
            if (p_.timestamps) {
                row.emplace_back("created_at", now);
                row.emplace_back("updated_at", now);
            }
            std::vector<std::string> shape;
            for (const auto& [k, v] : row) shape.push_back(k);
            groups[shape].push_back(std::move(row));
        }
        for (const auto& [shape, group] : groups) pivot().insertMany(group);
    }

    int64_t detach(const Bindings* ids) {
        QueryBuilder q = owned();
        if (ids) {
            if (ids->empty()) return 0;
            q.whereIn(p_.relatedForeignKey, *ids);
        }
        return q.del();
    }

    void sync(const PivotRows& rows, bool detachOthers) {
        Result existing = owned().exec();
        std::unordered_map<Value, std::size_t, ValueHash, ValueEq> byId;  // related id -> row in `existing`
        for (std::size_t i = 0; i < existing.size(); ++i) byId.emplace(existing[i][p_.relatedForeignKey], i);
        PivotRows toAttach;
        std::unordered_set<Value, ValueHash, ValueEq> wanted;
        for (const auto& [id, attrs] : rows) {
            wanted.insert(id);
            auto it = byId.find(id);
            if (it == byId.end()) {
                toAttach.emplace_back(id, attrs);
                continue;
            }
            Row current = existing[it->second];
            Attributes changed;
            for (const auto& [col, v] : attrs)
                if (!current[col].looselyEquals(v)) changed.emplace_back(col, v);
            if (changed.empty()) continue;  // kept rows stay as they are
            if (p_.timestamps) changed.emplace_back("updated_at", ManyToManyRelation::now());
            owned().where(p_.relatedForeignKey, id).update(changed);
        }
        if (detachOthers) {
            Bindings gone;
            for (const auto& [id, i] : byId)
                if (!wanted.count(id)) gone.push_back(id);
            detach(&gone);
        }
        attach(toAttach);
    }

private:
    QueryBuilder pivot() {
        QueryBuilder q = client_.from(p_.table);
        q.forModel(r_.owner->name);
        return q;
    }
    // The parent's rows of the pivot (of the parent's type, for a morph pivot).
    QueryBuilder owned() {
        QueryBuilder q = pivot();
        q.where(p_.foreignKey, key_);
        p_.constrainType(q.state());
        return q;
    }
    const Relation& r_;
    const PivotKeys& p_;
    QueryClient& client_;
    Value key_;
};

// fn(pivot rows) in a managed transaction of the parent's client.
template <class Fn> void onPivot(Relation& r, void* parent, Fn fn) {
    pivotOf(r);
    requireParentKey(r, parent);
    ClientHandle h = clientFor(*r.owner, parent);
    h.get().transaction([&](Transaction& trx) {
        PivotRowsOf rows(r, trx, parent);
        fn(rows);
    });
}

Value relatedId(const Relation& r, const void* related) { return r.relatedKey->access->get(related); }

}  // namespace

namespace many_to_many {

void attach(Relation& r, void* parent, const PivotRows& rows) {
    onPivot(r, parent, [&](PivotRowsOf& pivot) { pivot.attach(rows); });
}
void detach(Relation& r, void* parent, const Bindings* ids) {
    onPivot(r, parent, [&](PivotRowsOf& pivot) { pivot.detach(ids); });
}
void sync(Relation& r, void* parent, const PivotRows& rows, bool detach) {
    onPivot(r, parent, [&](PivotRowsOf& pivot) { pivot.sync(rows, detach); });
}

void save(Relation& r, void* parent, void* related, const Attributes& pivot) {
    const ModelMeta& rm = r.related();
    persistTogether(*r.owner, parent, {{&rm, related}}, [&](Transaction& trx) {
        saveModel(*r.owner, parent);
        saveModel(rm, related);
        PivotRowsOf(r, trx, parent).sync({{relatedId(r, related), pivot}}, false);
    });
}

void saveMany(Relation& r, void* parent, const std::vector<void*>& related) {
    const ModelMeta& rm = r.related();
    std::vector<std::pair<const ModelMeta*, void*>> models;
    models.reserve(related.size());
    for (void* m : related) models.emplace_back(&rm, m);
    persistTogether(*r.owner, parent, std::move(models), [&](Transaction& trx) {
        saveModel(*r.owner, parent);
        PivotRows rows;
        for (void* m : related) {
            saveModel(rm, m);
            rows.emplace_back(relatedId(r, m), Attributes{});
        }
        PivotRowsOf(r, trx, parent).sync(rows, false);
    });
}

}  // namespace many_to_many
}  // namespace lucid::detail
