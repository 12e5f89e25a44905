// has/whereHas/withCount/withAggregate and loadCount: built on each kind's correlated subquery.
#include <lucid/detail/relation.hpp>

#include "orm/model/instances.hpp"

namespace lucid::detail {

std::string aggregateColumn(const ModelMeta& related, const std::string& member);  // relations/common/declare.cpp

void addHas(ModelQueryCore& q, Relation& r, const QueryCallback& callback, std::string_view op, int64_t count, bool orJoin, bool negate) {
    checkOperator(op);
    QueryState sub = r.existsSubquery(callback, q.explicitClient());
    WhereNode n;
    n.orJoin = orJoin;
    if (op == ">=" && count == 1) {
        n.kind = WhereKind::Exists;
        n.negate = negate;
        n.sub = std::make_shared<QueryState>(std::move(sub));
    } else {
        sub.select.assign(1, SelectItem{.raw = "count(*)"});
        n.kind = WhereKind::SubCompare;
        n.op = std::string(op);
        n.value = count;
        n.negate = false;
        n.sub = std::make_shared<QueryState>(std::move(sub));
        if (negate) {
            WhereNode g{.kind = WhereKind::Group, .orJoin = orJoin, .negate = true};
            n.orJoin = false;
            g.group.push_back(std::move(n));
            q.builder().state().wheres.push_back(std::move(g));
            return;
        }
    }
    q.builder().state().wheres.push_back(std::move(n));
}

// Builds the clause tree only: the compiler writes the aggregate in the dialect of the client that runs it.
void addRelationAggregate(ModelQueryCore& q, Relation& r, std::string_view fn, const std::string& member, std::string alias,
                          const QueryCallback& callback) {
    std::string chosenAlias;
    QueryCallback withAlias = [&](ModelQueryCore& inner) {
        if (callback) callback(inner);
        chosenAlias = inner.aggregateAlias;
    };
    const ModelMeta& rm = r.related();
    const std::string column = member == "*" ? member : aggregateColumn(rm, member);
    QueryState sub = r.existsSubquery(withAlias, q.explicitClient());
    if (member == "*") {
        sub.select.assign(1, SelectItem{.raw = std::string(fn) + "(*)"});
    } else {
        const int i = rm.findColumn(column);
        // qualified: the subquery of manyToMany / hasManyThrough joins a second table
        sub.select.assign(1, SelectItem{.column = (sub.alias.empty() ? sub.table : sub.alias) + "." + column,
                                        .aggregate = std::string(fn),
                                        .scale = i < 0 ? -1 : rm.columns[static_cast<std::size_t>(i)].options.scale});
    }
    sub.orders.clear();
    if (!chosenAlias.empty()) alias = std::move(chosenAlias);
    else if (alias.empty()) alias = r.name + "_" + std::string(fn);
    auto& select = q.builder().state().select;
    if (select.empty()) select.push_back(SelectItem{.column = q.meta().table + ".*"});
    select.push_back(SelectItem{.sub = std::make_shared<QueryState>(std::move(sub)), .alias = std::move(alias)});
}

void loadRelation(const ModelMeta& meta, void* model, Relation& r, const QueryCallback& callback) {
    if (!meta.cstate(model).persisted()) throw Error("E_UNPERSISTED_MODEL", "Cannot lazy load relationship for an unpersisted model instance");
    ClientHandle h = clientFor(meta, model);
    r.preload(h.get(), {model}, callback);
}

void loadRelationCount(const ModelMeta& meta, void* model, Relation& r) {
    if (!meta.cstate(model).persisted()) throw Error("E_UNPERSISTED_MODEL", "Cannot lazy load relationship for an unpersisted model instance");
    ClientHandle h = clientFor(meta, model);
    QueryState sub = r.existsSubquery(nullptr, &h.get());
    sub.select.assign(1, SelectItem{.raw = "count(*)"});
    // correlate with this one row of the owner
    QueryBuilder outer(&h.get(), meta.table);
    outer.forModel(meta.name);
    outer.state().select.push_back(SelectItem{.sub = std::make_shared<QueryState>(std::move(sub)), .alias = "c"});
    outer.where(meta.table + "." + meta.primaryColumn().column, primaryKeyValue(meta, model));
    Result res = outer.exec();
    int64_t n = res.empty() ? 0 : res[0].at(0).as<int64_t>();
    meta.state(model).extras.set(r.name + "_count", n);
}

}  // namespace lucid::detail
