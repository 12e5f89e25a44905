// KeyedRelation: preload by one key pair, the related query of one parent, the correlated subquery.
#include "orm/relations/common/keyed_relation.hpp"

#include "orm/fast/key_chains.hpp"
#include "orm/relations/common/clauses.hpp"
#include "orm/relations/common/scopes.hpp"
#include "sql/compiler.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {

const ColumnMeta* KeyedRelation::requireKey(const ModelMeta& on, const std::string& property) const {
    int i = on.findProperty(property);
    if (i < 0)
        throw DefinitionError(label() + " expects \"" + property + "\" to exist on \"" + on.name + "\" model, but is missing");
    return &on.columns[static_cast<std::size_t>(i)];
}

std::string KeyedRelation::context() const { return std::string(kind()) + " relationship \"(" + name + ")\""; }

namespace {

// The query of the related model, with the relation's onQuery and the caller's constraints applied.
ModelQueryCore shapedQuery(const Relation& r, QueryClient* client, const QueryCallback& callback) {
    ModelQueryCore q(&r.related(), client);
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

// Three steps (keys, one query, matching), so that the query of every relation of a preload level can
// later be sent together.
void KeyedRelation::preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) {
    if (parents.empty()) return;
    std::vector<Value> parentKeys;
    parentKeys.reserve(parents.size());
    for (void* p : parents) parentKeys.push_back(ownerKey->access->get(p));
    Bindings keys = distinctKeys(parentKeys);
    if (keys.empty()) {  // no query at all
        fillHolders(parents, parentKeys, {});
        return;
    }
    ModelQueryCore q = preloadQuery(client, callback, std::move(keys));
    fillHolders(parents, parentKeys, fetchWithPreloads(q));
}

void KeyedRelation::fillHolders(const std::vector<void*>& parents, const std::vector<Value>& parentKeys,
                                const std::vector<std::shared_ptr<void>>& rows) const {
    std::vector<Value> rowKeys;
    rowKeys.reserve(rows.size());
    for (const auto& i : rows) rowKeys.push_back(matchKey(i.get()));
    const KeyChains chains = chainKeys(parentKeys, rowKeys);
    for (std::size_t n = 0; n < parents.size(); ++n) {
        const std::size_t head = chains.heads[n];
        if (!many()) {
            holder->setOne(parents[n], head == KeyChains::kEnd ? nullptr : rows[head]);
            continue;
        }
        std::vector<std::shared_ptr<void>> related;
        for (std::size_t i = head; i != KeyChains::kEnd; i = chains.next[i]) related.push_back(rows[i]);
        holder->setMany(parents[n], std::move(related));
    }
}

ModelQueryCore KeyedRelation::preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) {
    ModelQueryCore q = shapedQuery(*this, &client, callback);
    ensureSelected(q, relatedKey->column);
    constrain(q.builder().state(), inKeys(related().table + "." + relatedKey->column, std::move(keys)));
    return q;
}

Value KeyedRelation::matchKey(const void* relatedModel) const { return relatedKey->access->get(relatedModel); }

ModelQueryCore KeyedRelation::relatedQuery(QueryClient& client, const void* parent) {
    ModelQueryCore q = shapedQuery(*this, &client, nullptr);
    Value k = ownerKey->access->get(parent);
    // A parent without a key has no related rows: match nothing (never the orphans whose key is null too).
    if (k.isNull()) constrain(q.builder().state(), WhereNode{.kind = WhereKind::Raw, .raw = "1 = 0"});
    else constrain(q.builder().state(), basicWhere(related().table + "." + relatedKey->column, "=", std::move(k), false, false));
    if (!many()) q.setScope(std::make_shared<OneRowScope>(context()));
    return q;
}

QueryState KeyedRelation::existsSubquery(const QueryCallback& callback, QueryClient* client) {
    ModelQueryCore q = shapedQuery(*this, client, callback);
    auto& st = q.builder().state();
    std::string inner = related().table;
    if (inner == owner->table) {  // a self-relation: the inner table needs its own name
        st.alias = "lucid_related";
        inner = st.alias;
    }
    constrain(st, columnsEqual(inner + "." + relatedKey->column, owner->table + "." + ownerKey->column));
    q.seal();
    return st;
}

}  // namespace lucid::detail
