// hasManyThrough: Country -> User -> Post. Parents match related rows through the intermediate table.
#include "orm/relations/keyed_relation.hpp"

#include <unordered_map>
#include <unordered_set>

namespace lucid::detail {
namespace {

class HasManyThroughRelation final : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "hasManyThrough"; }

    void boot(const ModelMeta& o) override {
        owner = &o;
        through_ = &config.throughDefinition();
        const ModelMeta& rel = relatedDefinition();
        ownerKey = requireKey(o, config.localKey.empty() ? o.primaryColumn().property : config.localKey);
        throughForeign_ = requireKey(*through_, config.foreignKey.empty()
                                                    ? o.naming->relationForeignKey(o.name, o.primaryColumn().property)
                                                    : config.foreignKey);
        throughLocal_ = requireKey(*through_, config.throughLocalKey.empty() ? through_->primaryColumn().property : config.throughLocalKey);
        relatedKey = requireKey(rel, config.throughForeignKey.empty()
                                         ? o.naming->relationForeignKey(through_->name, through_->primaryColumn().property)
                                         : config.throughForeignKey);
    }

    // select posts.*, users.country_id as through_country_id from posts join users on users.id = posts.user_id
    ModelQueryCore baseQuery(QueryClient& client, const QueryCallback& callback, bool withThroughKey) {
        const ModelMeta& rm = related();
        ModelQueryCore q(&rm, &client);
        q.qualifier = rm.table;
        if (config.onQuery) config.onQuery(q);
        if (callback) callback(q);
        auto& st = q.builder().state();
        st.joins.insert(st.joins.begin(), JoinClause{"inner join", through_->table, through_->table + "." + throughLocal_->column, "=",
                                                     rm.table + "." + relatedKey->column});
        if (withThroughKey) {
            if (st.select.empty()) st.select.push_back(SelectItem{.column = rm.table + ".*"});
            st.select.push_back(SelectItem{.column = throughColumn() + " as " + extraName()});
        }
        return q;
    }
    std::string throughColumn() const { return through_->table + "." + throughForeign_->column; }
    std::string extraName() const { return "through_" + throughForeign_->column; }

    void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) override {
        if (parents.empty()) return;
        std::unordered_set<Value, ValueHash, ValueEq> seen;
        Bindings keys;
        for (void* p : parents) {
            Value k = ownerKey->access->get(p);
            if (!k.isNull() && seen.insert(k).second) keys.push_back(std::move(k));
        }
        if (keys.empty()) {
            for (void* p : parents) holder->setMany(p, {});
            return;
        }
        ModelQueryCore q = baseQuery(client, callback, true);
        q.builder().whereIn(throughColumn(), std::move(keys));
        Result rows = q.fetch();
        const ModelMeta& rm = related();
        auto instances = rm.fetchShared(rm, rows, client);
        if (q.hasPreloads() && !instances.empty()) {
            std::vector<void*> nested;
            for (auto& i : instances) nested.push_back(i.get());
            q.runPreloads(nested);
        }
        std::unordered_map<Value, std::vector<std::shared_ptr<void>>, ValueHash, ValueEq> byKey;
        const std::string name = extraName();
        for (auto& i : instances)
            if (const Value* k = extraValue(rm, i.get(), name)) byKey[*k].push_back(i);
        for (void* p : parents) {
            auto it = byKey.find(ownerKey->access->get(p));
            holder->setMany(p, it == byKey.end() ? std::vector<std::shared_ptr<void>>{} : it->second);
        }
    }

    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override {
        ModelQueryCore q = baseQuery(client, nullptr, true);
        q.builder().where(throughColumn(), ownerKey->access->get(parent));
        q.relationContext = std::string(kind()) + " relationship \"(" + name + ")\"";
        return q;
    }

    QueryState existsSubquery(QueryClient& client, const QueryCallback& callback) override {
        ModelQueryCore q = baseQuery(client, callback, false);
        q.builder().state().wheres.push_back(
            WhereNode{.kind = WhereKind::Column, .column = throughColumn(), .op = "=", .column2 = owner->table + "." + ownerKey->column});
        return q.builder().state();
    }

private:
    const ModelMeta* through_ = nullptr;
    const ColumnMeta* throughForeign_ = nullptr;  // User.countryId
    const ColumnMeta* throughLocal_ = nullptr;    // User.id
};

}  // namespace

std::unique_ptr<Relation> makeHasManyThrough(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                             std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasManyThroughRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                    std::move(config));
}

}  // namespace lucid::detail
