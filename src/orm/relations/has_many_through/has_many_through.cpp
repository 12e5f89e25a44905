// hasManyThrough: Country -> User -> Post. Parents match related rows through the intermediate table.
#include "orm/relations/common/clauses.hpp"
#include "orm/relations/common/keyed_relation.hpp"
#include "orm/relations/common/scopes.hpp"
#include "sql/compiler.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {
namespace {

// update()/del() of related(...).query() reach the related rows it selects (through the parent's
// intermediate rows) by primary key: UPDATE and DELETE cannot join.
class ThroughWrites final : public JoinedScope {
public:
    using JoinedScope::JoinedScope;
    std::optional<int64_t> write(ModelQueryCore& q, const Attributes* values) const override {
        const ModelMeta& rm = q.meta();
        QueryBuilder b(&q.client(), rm.table);
        b.forModel(rm.name);
        b.state().wheres.push_back(inSelected(q, rm.primaryColumn().column, rm.table + "." + rm.primaryColumn().column));
        return values ? b.update(q.toColumns(*values)) : b.del();
    }
};

class HasManyThroughRelation final : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "hasManyThrough"; }
    bool keysMeetDirectly() const override { return false; }

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
        throughColumn_ = through_->table + "." + throughForeign_->column;
        matchExtra_ = "through_" + throughForeign_->column;
    }

    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override {
        ModelQueryCore q = baseQuery(&client, nullptr, std::make_shared<const ThroughWrites>(related().table, keyColumn()));
        constrain(q.builder().state(), basicWhere(throughColumn_, "=", ownerKey->access->get(parent), false, false));
        return q;
    }

    QueryState existsSubquery(const QueryCallback& callback, QueryClient* client) override {
        ModelQueryCore q = baseQuery(client, callback, std::make_shared<const JoinedScope>(related().table, std::vector<SelectItem>{}));
        constrain(q.builder().state(), columnsEqual(throughColumn_, owner->table + "." + ownerKey->column));
        q.seal();
        return q.builder().state();
    }

protected:
    ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) override {
        ModelQueryCore q = baseQuery(&client, callback, std::make_shared<const JoinedScope>(related().table, keyColumn()));
        constrain(q.builder().state(), inKeys(throughColumn_, std::move(keys)));
        return q;
    }
    Value matchKey(const void* relatedModel) const override {
        const Value* k = extraValue(related(), relatedModel, matchExtra_);
        return k ? *k : Value();
    }
    bool many() const override { return true; }

private:
    // select posts.*, users.country_id as through_country_id from posts join users on users.id = posts.user_id
    ModelQueryCore baseQuery(QueryClient* client, const QueryCallback& callback, std::shared_ptr<const JoinedScope> scope) {
        const ModelMeta& rm = related();
        ModelQueryCore q(&rm, client);
        q.setScope(std::move(scope));
        applyConstraints(*this, q, callback);
        auto& st = q.builder().state();
        st.joins.insert(st.joins.begin(), JoinClause{"inner join", through_->table, through_->table + "." + throughLocal_->column, "=",
                                                     rm.table + "." + relatedKey->column});
        // the intermediate model's own scope too (soft deletes: its trashed rows hide theirs)
        if (through_->scope) through_->scope->constrain(st, through_->table);
        return q;
    }
    std::vector<SelectItem> keyColumn() const { return {SelectItem{.column = throughColumn_ + " as " + matchExtra_}}; }

    const ModelMeta* through_ = nullptr;
    const ColumnMeta* throughForeign_ = nullptr;  // User.countryId
    const ColumnMeta* throughLocal_ = nullptr;    // User.id
    std::string throughColumn_;                   // users.country_id
    std::string matchExtra_;                      // through_country_id: the extra each related row matches on
};

}  // namespace

std::unique_ptr<Relation> makeHasManyThrough(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                             std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<HasManyThroughRelation>(std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                    std::move(config));
}

}  // namespace lucid::detail
