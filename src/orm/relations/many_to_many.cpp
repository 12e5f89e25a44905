// manyToMany: parents and related rows meet in a pivot table (skill_user: user_id, skill_id, ...).
#include "orm/relations/keyed_relation.hpp"
#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

#include <chrono>
#include <map>
#include <unordered_set>

namespace lucid::detail {
namespace {

class ManyToManyRelation final : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "manyToMany"; }

    void boot(const ModelMeta& o) override {
        owner = &o;
        const ModelMeta& rel = relatedDefinition();
        ownerKey = requireKey(o, config.localKey.empty() ? o.primaryColumn().property : config.localKey);
        relatedKey = requireKey(rel, config.relatedKey.empty() ? rel.primaryColumn().property : config.relatedKey);
        pivotTable = config.pivotTable.empty() ? o.naming->relationPivotTable(o.name, rel.name) : config.pivotTable;
        pivotForeignKey = config.pivotForeignKey.empty() ? o.naming->relationPivotForeignKey(o.name, o.primaryColumn().property)
                                                         : config.pivotForeignKey;
        pivotRelatedForeignKey = config.pivotRelatedForeignKey.empty()
                                     ? o.naming->relationPivotForeignKey(rel.name, rel.primaryColumn().property)
                                     : config.pivotRelatedForeignKey;
    }

    // select related.*, pivot columns as pivot_<column>, from related join pivot
    ModelQueryCore baseQuery(QueryClient& client, const QueryCallback& callback, bool withPivotColumns, const std::string& alias = {}) {
        const ModelMeta& rm = related();
        ModelQueryCore q(&rm, &client);
        const std::string table = alias.empty() ? rm.table : alias;
        q.qualifier = table;
        q.pivotTable = pivotTable;
        if (!alias.empty()) q.builder().state().alias = alias;
        applyConstraints(*this, q, callback);
        auto& st = q.builder().state();
        st.joins.insert(st.joins.begin(), JoinClause{"inner join", pivotTable, table + "." + relatedKey->column, "=",
                                                     pivotTable + "." + pivotRelatedForeignKey});
        if (withPivotColumns) {
            auto pivot = [&](const std::string& col) {
                q.relationColumns.push_back(SelectItem{.column = pivotTable + "." + col + " as pivot_" + col});
            };
            pivot(pivotForeignKey);
            pivot(pivotRelatedForeignKey);
            for (const auto& c : config.pivotColumns) pivot(c);
            if (config.pivotTimestamps) {
                pivot("created_at");
                pivot("updated_at");
            }
        }
        return q;
    }

    ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) override {
        ModelQueryCore q = baseQuery(client, callback, true);
        constrain(q.builder().state(), inKeys(pivotTable + "." + pivotForeignKey, std::move(keys)));
        return q;
    }
    Value matchKey(const void* relatedModel) const override {
        const Value* k = extraValue(related(), relatedModel, "pivot_" + pivotForeignKey);
        return k ? *k : Value();
    }
    bool many() const override { return true; }
    bool refusesPagination() const override { return false; }

    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override {
        ModelQueryCore q = baseQuery(client, nullptr, true);
        Value key = ownerKey->access->get(parent);
        constrain(q.builder().state(), basicWhere(pivotTable + "." + pivotForeignKey, "=", key, false, false));
        q.relationContext = std::string(kind()) + " relationship \"(" + name + ")\"";
        // update()/del() act on the pivot rows that the query selects, as in Lucid
        q.joinedWrite = [this, key](ModelQueryCore& self, const Attributes* values) -> int64_t {
            QueryBuilder b(&self.client(), pivotTable);
            b.where(pivotForeignKey, key);
            b.state().wheres.push_back(inSelected(self, pivotRelatedForeignKey, self.qualify(relatedKey->column)));
            if (!values) return b.del();
            Attributes v = *values;
            if (config.pivotTimestamps) v.emplace_back("updated_at", nowValue());
            return b.update(v);
        };
        return q;
    }

    QueryState existsSubquery(QueryClient& client, const QueryCallback& callback) override {
        const std::string alias = related().table == owner->table ? "lucid_related" : "";
        ModelQueryCore q = baseQuery(client, callback, false, alias);
        constrain(q.builder().state(), columnsEqual(pivotTable + "." + pivotForeignKey, owner->table + "." + ownerKey->column));
        return q.builder().state();
    }

    static Value nowValue() { return Value(std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now())); }

    std::string pivotTable, pivotForeignKey, pivotRelatedForeignKey;
};

ManyToManyRelation& asManyToMany(Relation& r) {
    auto* m = dynamic_cast<ManyToManyRelation*>(&r);
    if (!m) throw Error("E_NOT_MANY_TO_MANY", r.label() + " is a " + r.kind() + " relationship, not manyToMany");
    return *m;
}

}  // namespace

std::unique_ptr<Relation> makeManyToMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                         std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<ManyToManyRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                std::move(config));
}

Value pivotRelatedId(const Relation& r, const void* related) { return r.relatedKey->access->get(related); }

void pivotAttach(Relation& rel, QueryClient& client, const void* parent, const PivotRows& rows) {
    auto& r = asManyToMany(rel);
    requireParentKey(r, parent);
    if (rows.empty()) return;
    const Value key = r.ownerKey->access->get(parent);
    const Value now = ManyToManyRelation::nowValue();
    // rows with the same pivot columns go in one multi-row INSERT
    std::map<std::vector<std::string>, std::vector<Attributes>> groups;
    for (const auto& [id, attrs] : rows) {
        if (id.isNull()) throw Error("E_MISSING_RELATED_KEY", "Cannot attach a null id to " + r.label());
        Attributes row{{r.pivotForeignKey, key}, {r.pivotRelatedForeignKey, id}};
        for (const auto& a : attrs) row.push_back(a);
        if (r.config.pivotTimestamps) {
            row.emplace_back("created_at", now);
            row.emplace_back("updated_at", now);
        }
        std::vector<std::string> shape;
        for (const auto& [k, v] : row) shape.push_back(k);
        groups[shape].push_back(std::move(row));
    }
    for (const auto& [shape, group] : groups) client.from(r.pivotTable).forModel(r.owner->name).insertMany(group);
}

int64_t pivotDetach(Relation& rel, QueryClient& client, const void* parent, const Bindings* ids) {
    auto& r = asManyToMany(rel);
    requireParentKey(r, parent);
    QueryBuilder q = client.from(r.pivotTable);
    q.forModel(r.owner->name).where(r.pivotForeignKey, r.ownerKey->access->get(parent));
    if (ids) {
        if (ids->empty()) return 0;
        q.whereIn(r.pivotRelatedForeignKey, *ids);
    }
    return q.del();
}

void pivotSync(Relation& rel, QueryClient& client, const void* parent, const PivotRows& rows, bool detach) {
    auto& r = asManyToMany(rel);
    requireParentKey(r, parent);
    const Value key = r.ownerKey->access->get(parent);
    Result existing = client.from(r.pivotTable).forModel(r.owner->name).where(r.pivotForeignKey, key).exec();
    std::unordered_map<Value, std::size_t, ValueHash, ValueEq> byId;  // related id -> row in `existing`
    for (std::size_t i = 0; i < existing.size(); ++i) byId.emplace(existing[i][r.pivotRelatedForeignKey], i);
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
        if (r.config.pivotTimestamps) changed.emplace_back("updated_at", ManyToManyRelation::nowValue());
        client.from(r.pivotTable).forModel(r.owner->name).where(r.pivotForeignKey, key).where(r.pivotRelatedForeignKey, id).update(changed);
    }
    if (detach) {
        Bindings gone;
        for (const auto& [id, i] : byId)
            if (!wanted.count(id)) gone.push_back(id);
        pivotDetach(r, client, parent, &gone);
    }
    pivotAttach(r, client, parent, toAttach);
}

}  // namespace lucid::detail
