#include "orm/relations/keyed_relation.hpp"
#include "orm/relations/key_chains.hpp"
#include "sql/compiler.hpp"
#include "sql/dialect.hpp"
#include "orm/model/instances.hpp"


namespace lucid::detail {

const ColumnMeta* KeyedRelation::requireKey(const ModelMeta& on, const std::string& property) const {
    int i = on.findProperty(property);
    if (i < 0)
        throw DefinitionError(label() + " expects \"" + property + "\" to exist on \"" + on.name + "\" model, but is missing");
    return &on.columns[static_cast<std::size_t>(i)];
}

const Value* extraValue(const ModelMeta& meta, const void* model, const std::string& name) {
    for (const auto& [k, v] : meta.cstate(model).extras)
        if (k == name) return &v;
    return nullptr;
}

namespace {

Value keyOf(const ColumnMeta& c, const void* model) { return c.access->get(model); }

}  // namespace

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

namespace {

// The query of the related model, with the relation's onQuery and the caller's constraints applied.
ModelQueryCore shapedQuery(const Relation& r, QueryClient& client, const QueryCallback& callback) {
    ModelQueryCore q(&r.related(), &client);
    applyConstraints(r, q, callback);
    return q;
}

void ensureSelected(ModelQueryCore& q, const std::string& column) {
    auto& select = q.builder().state().select;
    if (select.empty()) return;
    for (const auto& s : select)
        if (s.column == column || s.column == "*" || s.column == q.meta().table + "." + column || s.column == q.meta().table + ".*") return;
    select.push_back(SelectItem{.column = q.meta().table + "." + column});
}

}  // namespace

// Set-based: the parents' distinct keys, one query, a hash map from key to related rows.
void KeyedRelation::preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) {
    if (parents.empty()) return;
    std::vector<Value> parentKeys;
    parentKeys.reserve(parents.size());
    for (void* p : parents) parentKeys.push_back(keyOf(*ownerKey, p));
    Bindings keys = distinctKeys(parentKeys);
    if (keys.empty()) {  // no query at all
        for (void* p : parents) many() ? holder->setMany(p, {}) : holder->setOne(p, nullptr);
        return;
    }
    ModelQueryCore q = preloadQuery(client, callback, std::move(keys));
    std::vector<std::shared_ptr<void>> instances = q.fetchShared();
    if (q.hasPreloads() && !instances.empty()) {
        std::vector<void*> nested;
        nested.reserve(instances.size());
        for (auto& i : instances) nested.push_back(i.get());
        q.runPreloads(nested);
    }
    std::vector<Value> rowKeys;
    rowKeys.reserve(instances.size());
    for (const auto& i : instances) rowKeys.push_back(matchKey(i.get()));
    const KeyChains chains = chainKeys(parentKeys, rowKeys);
    for (std::size_t n = 0; n < parents.size(); ++n) {
        const std::size_t head = chains.heads[n];
        if (!many()) {
            holder->setOne(parents[n], head == KeyChains::kEnd ? nullptr : instances[head]);
            continue;
        }
        std::vector<std::shared_ptr<void>> related;
        for (std::size_t i = head; i != KeyChains::kEnd; i = chains.next[i]) related.push_back(instances[i]);
        holder->setMany(parents[n], std::move(related));
    }
}

ModelQueryCore KeyedRelation::preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) {
    ModelQueryCore q = shapedQuery(*this, client, callback);
    ensureSelected(q, relatedKey->column);
    constrain(q.builder().state(), inKeys(related().table + "." + relatedKey->column, std::move(keys)));
    return q;
}

Value KeyedRelation::matchKey(const void* relatedModel) const { return keyOf(*relatedKey, relatedModel); }

ModelQueryCore KeyedRelation::relatedQuery(QueryClient& client, const void* parent) {
    ModelQueryCore q = shapedQuery(*this, client, nullptr);
    Value k = keyOf(*ownerKey, parent);
    // A parent without a key has no related rows: match nothing (never the orphans whose key is null too).
    if (k.isNull()) constrain(q.builder().state(), WhereNode{.kind = WhereKind::Raw, .raw = "1 = 0"});
    else constrain(q.builder().state(), basicWhere(related().table + "." + relatedKey->column, "=", std::move(k), false, false));
    q.relationContext = std::string(kind()) + " relationship \"(" + name + ")\"";
    q.paginateRefused = refusesPagination();
    return q;
}

QueryState KeyedRelation::existsSubquery(QueryClient& client, const QueryCallback& callback) {
    ModelQueryCore q = shapedQuery(*this, client, callback);
    auto& st = q.builder().state();
    std::string inner = related().table;
    if (inner == owner->table) {  // a self-relation: the inner table needs its own name
        st.alias = "lucid_related";
        inner = st.alias;
    }
    constrain(st, columnsEqual(inner + "." + relatedKey->column, owner->table + "." + ownerKey->column));
    return st;
}

void addHas(ModelQueryCore& q, Relation& r, const QueryCallback& callback, std::string_view op, int64_t count, bool orJoin, bool negate) {
    checkOperator(op);
    QueryState sub = r.existsSubquery(q.client(), callback);
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

void addRelationAggregate(ModelQueryCore& q, Relation& r, std::string_view fn, const std::string& relatedColumn, std::string alias,
                          const QueryCallback& callback) {

    std::string chosenAlias;
    QueryCallback withAlias = [&](ModelQueryCore& inner) {
        if (callback) callback(inner);
        chosenAlias = inner.aggregateAlias;
    };
    QueryState sub = r.existsSubquery(q.client(), withAlias);
    // qualified: the subquery of manyToMany / hasManyThrough joins a second table
    const auto& d = q.client().dialect();
    const int column = relatedColumn == "*" ? -1 : r.related().findColumn(relatedColumn);
    std::string expression = d.aggregate(fn, relatedColumn == "*" ? std::string("*") : d.quoted(sub.alias.empty() ? sub.table : sub.alias) + "." + d.quoted(relatedColumn),
                                         column < 0 ? -1 : r.related().columns[static_cast<std::size_t>(column)].options.scale);
    sub.select.assign(1, SelectItem{.raw = std::move(expression)});
    sub.orders.clear();
    auto& select = q.builder().state().select;
    if (select.empty()) select.push_back(SelectItem{.column = q.meta().table + ".*"});
    select.push_back(SelectItem{.sub = std::make_shared<QueryState>(std::move(sub)), .alias = chosenAlias.empty() ? alias : chosenAlias});
}

void requireParentKey(const Relation& r, const void* parent) {
    if (keyOf(*r.ownerKey, parent).isNull() || r.ownerKey->access->isUnset(parent))  // null, or never set (0 / "")
        throw Error("E_MISSING_RELATED_KEY", "Cannot persist \"" + r.name + "\", value of \"" + r.owner->name + "." +
                                                 r.ownerKey->property + "\" is undefined");
}

void copyKeyToRelated(const Relation& r, const void* parent, void* related) {
    requireParentKey(r, parent);
    r.relatedKey->access->set(related, keyOf(*r.ownerKey, parent));
}

void copyKeyToOwner(const Relation& r, void* parent, const void* related) {
    Value k = related ? keyOf(*r.relatedKey, related) : Value();
    if (related && k.isNull())
        throw Error("E_MISSING_RELATED_KEY", "Cannot associate \"" + r.name + "\", value of \"" + r.related().name + "." +
                                                 r.relatedKey->property + "\" is undefined");
    try {
        r.ownerKey->access->set(parent, k);
    } catch (const TypeError& e) {
        throw TypeError("\"" + r.owner->name + "." + r.ownerKey->property + "\": " + e.what() +
                        (related ? "" : " (dissociate needs a std::optional foreign key)"));
    }
}

void loadRelation(const ModelMeta& meta, void* model, Relation& r, const QueryCallback& callback) {
    if (!meta.cstate(model).persisted()) throw Error("E_UNPERSISTED_MODEL", "Cannot lazy load relationship for an unpersisted model instance");
    ClientHandle h = clientFor(meta, model);
    r.preload(h.get(), {model}, callback);
}

void loadRelationCount(const ModelMeta& meta, void* model, Relation& r) {
    if (!meta.cstate(model).persisted()) throw Error("E_UNPERSISTED_MODEL", "Cannot lazy load relationship for an unpersisted model instance");
    ClientHandle h = clientFor(meta, model);
    QueryState sub = r.existsSubquery(h.get(), nullptr);
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

void persistTogether(const ModelMeta& parentMeta, void* parent, std::vector<std::pair<const ModelMeta*, void*>> models,
                     const std::function<void(Transaction&)>& fn) {
    models.insert(models.begin(), {&parentMeta, parent});
    std::vector<ModelSnapshot> snapshots;
    snapshots.reserve(models.size());
    for (auto& [m, p] : models) snapshots.emplace_back(*m, p);
    try {
        ClientHandle h = clientFor(parentMeta, parent);
        h.get().transaction([&](Transaction& trx) {
            std::vector<std::unique_ptr<UseTransaction>> scoped;
            for (auto& [m, p] : models) scoped.push_back(std::make_unique<UseTransaction>(*m, p, trx));
            fn(trx);
        });
    } catch (...) {
        for (auto& s : snapshots) s.restore();
        throw;
    }
}

// The transaction's link is made first (it may allocate) and swapped in; the destructor swaps back.
UseTransaction::UseTransaction(const ModelMeta& meta, void* model, Transaction& trx) : state_(&meta.state(model)) {
    saved_.setTrx(trx.transactionCore());
    state_->swapLink(saved_);
}
UseTransaction::~UseTransaction() { state_->swapLink(saved_); }

}  // namespace lucid::detail
