// manyToMany: its keys, the pivot join of its queries, and its query scope (pivot columns, writes through the pivot).
#include "orm/relations/many_to_many/many_to_many.hpp"

#include "orm/relations/common/clauses.hpp"
#include "orm/relations/common/scopes.hpp"
#include "sql/compiler.hpp"
#include "query/where_nodes.hpp"

#include <chrono>

namespace lucid::detail {

// The pivot table for wherePivot; update()/del() of related(...).query() act on the pivot rows it selects, as in Lucid.
class ManyToManyRelation::Scope final : public JoinedScope {
public:
    Scope(const ManyToManyRelation& r, std::string qualifier, std::vector<SelectItem> columns, std::optional<Value> writesFor)
        : JoinedScope(std::move(qualifier), std::move(columns)), r_(r), parentKey_(std::move(writesFor)) {}
    const std::string* pivotTable() const override { return &r_.pivot_.table; }
    std::optional<int64_t> write(ModelQueryCore& q, const Attributes* values) const override {
        if (!parentKey_) return std::nullopt;
        const PivotKeys& p = r_.pivot_;
        QueryBuilder b(&q.client(), p.table);
        b.where(p.foreignKey, *parentKey_);
        p.constrainType(b.state());
        b.state().wheres.push_back(inSelected(q, p.relatedForeignKey, q.qualify(r_.relatedKey->column)));
        if (!values) return b.del();
        Attributes v = *values;
        if (p.timestamps) v.emplace_back("updated_at", now());
        return b.update(v);
    }

private:
    const ManyToManyRelation& r_;
    std::optional<Value> parentKey_;  // the parent of related(...).query(): its writes go to the pivot
};

void ManyToManyRelation::boot(const ModelMeta& o) {
    owner = &o;
    const ModelMeta& rel = relatedDefinition();
    ownerKey = requireKey(o, config.localKey.empty() ? o.primaryColumn().property : config.localKey);
    relatedKey = requireKey(rel, config.relatedKey.empty() ? rel.primaryColumn().property : config.relatedKey);
    PivotKeys p;
    p.table = config.pivotTable.empty() ? o.naming->relationPivotTable(o.name, rel.name) : config.pivotTable;
    p.foreignKey =
        config.pivotForeignKey.empty() ? o.naming->relationPivotForeignKey(o.name, o.primaryColumn().property) : config.pivotForeignKey;
    p.relatedForeignKey = config.pivotRelatedForeignKey.empty() ? o.naming->relationPivotForeignKey(rel.name, rel.primaryColumn().property)
                                                                : config.pivotRelatedForeignKey;
    p.timestamps = config.pivotTimestamps;
    setPivot(std::move(p));
}

void ManyToManyRelation::setPivot(PivotKeys keys) {
    pivot_ = std::move(keys);
    matchExtra_ = "pivot_" + pivot_.foreignKey;
}

void PivotKeys::constrainType(QueryState& q) const {
    if (!typeColumn.empty()) constrain(q, basicWhere(table + "." + typeColumn, "=", Value(morphTypeOf(*typeOf)), false, false));
}

Value ManyToManyRelation::now() { return Value(std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now())); }

std::shared_ptr<const ManyToManyRelation::Scope> ManyToManyRelation::scope(bool withPivotColumns, std::string qualifier,
                                                                           std::optional<Value> writesFor) const {
    std::vector<SelectItem> columns;
    if (withPivotColumns) {
        auto add = [&](const std::string& col) { columns.push_back(SelectItem{.column = pivot_.table + "." + col + " as pivot_" + col}); };
        add(pivot_.foreignKey);
        add(pivot_.relatedForeignKey);
        for (const auto& c : config.pivotColumns) add(c);
        if (pivot_.timestamps) {
            add("created_at");
            add("updated_at");
        }
    }
    return std::make_shared<const Scope>(*this, std::move(qualifier), std::move(columns), std::move(writesFor));
}

// select related.*, pivot columns as pivot_<column>, from related join pivot
ModelQueryCore ManyToManyRelation::baseQuery(QueryClient* client, const QueryCallback& callback, std::shared_ptr<const Scope> scope) {
    const ModelMeta& rm = related();
    ModelQueryCore q(&rm, client);
    const std::string table = *scope->qualifier();
    if (table != rm.table) q.builder().state().alias = table;
    q.setScope(std::move(scope));
    applyConstraints(*this, q, callback);
    auto& st = q.builder().state();
    st.joins.insert(st.joins.begin(), JoinClause{"inner join", pivot_.table, table + "." + relatedKey->column, "=",
                                                 pivot_.table + "." + pivot_.relatedForeignKey});
    pivot_.constrainType(st);
    return q;
}

ModelQueryCore ManyToManyRelation::preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) {
    ModelQueryCore q = baseQuery(&client, callback, scope(true, related().table));
    constrain(q.builder().state(), inKeys(pivot_.table + "." + pivot_.foreignKey, std::move(keys)));
    return q;
}

Value ManyToManyRelation::matchKey(const void* relatedModel) const {
    const Value* k = extraValue(related(), relatedModel, matchExtra_);
    return k ? *k : Value();
}

ModelQueryCore ManyToManyRelation::relatedQuery(QueryClient& client, const void* parent) {
    Value key = ownerKey->access->get(parent);
    ModelQueryCore q = baseQuery(&client, nullptr, scope(true, related().table, key));
    constrain(q.builder().state(), basicWhere(pivot_.table + "." + pivot_.foreignKey, "=", std::move(key), false, false));
    return q;
}

QueryState ManyToManyRelation::existsSubquery(const QueryCallback& callback, QueryClient* client) {
    const std::string& table = related().table;
    ModelQueryCore q = baseQuery(client, callback, scope(false, table == owner->table ? "lucid_related" : table));
    constrain(q.builder().state(), columnsEqual(pivot_.table + "." + pivot_.foreignKey, owner->table + "." + ownerKey->column));
    q.seal();
    return q.builder().state();
}

std::unique_ptr<Relation> makeManyToMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                         std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<ManyToManyRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                std::move(config));
}

}  // namespace lucid::detail
