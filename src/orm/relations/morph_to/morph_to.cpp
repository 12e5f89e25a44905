// morphTo: keys, a preload of one query per type present, and pointing the owner at a model (morph_to.hpp).
#include "orm/relations/morph_to/morph_to.hpp"

#include "orm/fast/key_chains.hpp"
#include "orm/relations/common/clauses.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {

void MorphToRelation::boot(const ModelMeta& o) {
    owner = &o;
    typeKey_ = requireKey(o, config.typeKey.empty() ? name + "Type" : config.typeKey);
    ownerKey = requireKey(o, config.idKey.empty() ? name + "Id" : config.idKey);
    targets_.clear();
    for (const MorphTarget& t : config.morphTargets) {
        const ModelMeta& def = t.definition();  // not booted: models may point at each other
        targets_.push_back(Target{t.meta, requireKey(def, config.localKey.empty() ? def.primaryColumn().property : config.localKey)});
    }
    relatedKey = targets_.front().key;
}

std::size_t MorphToRelation::targetOf(const std::string& type, const std::vector<std::string>& types) const {
    for (std::size_t i = 0; i < types.size(); ++i)
        if (types[i] == type) return i;
    std::string known;
    for (const auto& t : types) known += (known.empty() ? "\"" : ", \"") + t + "\"";
    throw Error("E_UNKNOWN_MORPH_TYPE", label() + " holds type \"" + type + "\", which is none of its models (" + known +
                                            "): lucid::morphMap<Model>(\"" + type + "\") names the model it means");
}

std::size_t MorphToRelation::targetOf(const ModelMeta& meta) const {
    for (std::size_t i = 0; i < targets_.size(); ++i)
        if (&targets_[i].meta() == &meta) return i;
    throw Error("E_UNKNOWN_MORPH_TYPE", label() + " cannot hold a \"" + meta.name + "\"");
}

void MorphToRelation::preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) {
    std::vector<std::string> types;
    types.reserve(targets_.size());
    for (const auto& t : targets_) types.push_back(morphTypeOf(t.meta()));
    // the parents of each type, and their ids; a parent whose type or id is null holds null
    std::vector<std::vector<void*>> byType(targets_.size());
    std::vector<std::vector<Value>> keys(targets_.size());
    std::size_t last = 0;
    for (void* p : parents) {
        Value type = typeKey_->access->get(p), id = ownerKey->access->get(p);
        if (type.isNull() || id.isNull() || type.as<std::string>().empty()) {
            holder->setOne(p, nullptr);
            continue;
        }
        const std::string& s = type.as<std::string>();
        if (types[last] != s) last = targetOf(s, types);  // rows of one type often come together
        byType[last].push_back(p);
        keys[last].push_back(std::move(id));
    }
    for (std::size_t t = 0; t < targets_.size(); ++t)
        if (!byType[t].empty()) preloadTarget(client, t, byType[t], keys[t], callback);
}

void MorphToRelation::preloadTarget(QueryClient& client, std::size_t t, const std::vector<void*>& parents, const std::vector<Value>& keys,
                                    const QueryCallback& callback) const {
    const Target& target = targets_[t];
    const ModelMeta& rm = target.meta();
    std::vector<std::shared_ptr<void>> rows;
    if (Bindings distinct = distinctKeys(keys); !distinct.empty()) {
        ModelQueryCore q(&rm, &client);
        applyConstraints(*this, q, callback);
        constrain(q.builder().state(), inKeys(rm.table + "." + target.key->column, std::move(distinct)));
        rows = fetchWithPreloads(q);
    }
    std::vector<Value> rowKeys;
    rowKeys.reserve(rows.size());
    for (const auto& row : rows) rowKeys.push_back(target.key->access->get(row.get()));
    const KeyChains chains = chainKeys(keys, rowKeys);
    for (std::size_t n = 0; n < parents.size(); ++n)
        holder->setAt(parents[n], t, chains.heads[n] == KeyChains::kEnd ? nullptr : rows[chains.heads[n]]);
}

ModelQueryCore MorphToRelation::relatedQuery(QueryClient&, const void*) {
    throw Error("E_UNSUPPORTED", label() + " is a morphTo: its rows are of several models, so it has no query of its own");
}

QueryState MorphToRelation::existsSubquery(const QueryCallback&, QueryClient*) {
    throw Error("E_UNSUPPORTED", "has/whereHas/withCount/withAggregate do not take the morphTo " + label() +
                                     ": query the morphOne/morphMany side, or filter on its type and id columns");
}

const ModelMeta& MorphToRelation::relatedOf(const void* parent) const { return targets_[holder->typeAt(parent)].meta(); }

std::vector<std::pair<SchemaColumn, SchemaColumn>> MorphToRelation::keyPairs() const {
    std::vector<std::pair<SchemaColumn, SchemaColumn>> out;
    for (const auto& t : targets_) out.push_back({{owner->table, ownerKey->column}, {t.meta().table, t.key->column}});
    return out;
}

void MorphToRelation::point(void* parent, const ModelMeta* relatedMeta, const void* related) const {
    Value type, id;
    if (related) {
        const Target& target = targets_[targetOf(*relatedMeta)];
        id = target.key->access->get(related);
        if (id.isNull())
            throw Error("E_MISSING_RELATED_KEY", "Cannot associate \"" + name + "\", value of \"" + relatedMeta->name + "." +
                                                     target.key->property + "\" is undefined");
        type = morphTypeOf(*relatedMeta);
    }
    for (const ColumnMeta* c : {typeKey_, ownerKey}) {
        try {
            c->access->set(parent, c == typeKey_ ? type : id);
        } catch (const TypeError& e) {
            throw TypeError("\"" + owner->name + "." + c->property + "\": " + e.what() +
                            (related ? "" : " (dissociate needs std::optional type and id columns)"));
        }
    }
}

std::unique_ptr<Relation> makeMorphTo(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                      std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<MorphToRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                             std::move(config));
}

}  // namespace lucid::detail
