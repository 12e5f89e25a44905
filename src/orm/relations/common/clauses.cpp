// Clauses that every relation kind builds its queries from (clauses.hpp).
#include "orm/relations/common/clauses.hpp"

#include "sql/compiler.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {

void applyConstraints(const Relation& r, ModelQueryCore& q, const QueryCallback& callback) {
    if (r.config.onQuery) {
        r.config.onQuery(q);
        sealWheres(q.builder().state());
    }
    if (callback) {
        callback(q);
        sealWheres(q.builder().state());
    }
}

WhereNode inKeys(std::string column, Bindings keys) {
    WhereNode n{.kind = WhereKind::In, .column = std::move(column)};
    n.values = std::move(keys);
    return n;
}

WhereNode columnsEqual(std::string column, std::string other) {
    return WhereNode{.kind = WhereKind::Column, .column = std::move(column), .op = "=", .column2 = std::move(other)};
}

WhereNode inSelected(const ModelQueryCore& q, std::string column, std::string selected) {
    auto sub = std::make_shared<QueryState>(q.builder().state());
    sub->select.assign(1, SelectItem{.column = std::move(selected)});
    sub->orders.clear();
    sub->limit.reset();
    sub->offset.reset();
    WhereNode in{.kind = WhereKind::In, .column = std::move(column)};
    in.sub = std::move(sub);
    return in;
}

std::vector<std::shared_ptr<void>> allRows(ModelQueryCore& q) {
    for (const auto& hook : q.meta().beforeFetch) hook(q);
    return fetchWithPreloads(q);
}

std::vector<std::shared_ptr<void>> fetchWithPreloads(ModelQueryCore& q) {
    std::vector<std::shared_ptr<void>> rows = q.fetchShared();
    if (q.hasPreloads() && !rows.empty()) {
        std::vector<void*> models;
        models.reserve(rows.size());
        for (auto& m : rows) models.push_back(m.get());
        q.runPreloads(models);
    }
    return rows;
}

const Value* extraValue(const ModelMeta& meta, const void* model, const std::string& name) {
    for (const auto& [k, v] : meta.cstate(model).extras)
        if (k == name) return &v;
    return nullptr;
}

}  // namespace lucid::detail
