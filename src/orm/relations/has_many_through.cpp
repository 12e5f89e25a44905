// hasManyThrough: Country -> User -> Post. Parents match related rows through the intermediate table.
#include "orm/relations/keyed_relation.hpp"
#include "sql/compiler.hpp"


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
        applyConstraints(*this, q, callback);
        auto& st = q.builder().state();
        st.joins.insert(st.joins.begin(), JoinClause{"inner join", through_->table, through_->table + "." + throughLocal_->column, "=",
                                                     rm.table + "." + relatedKey->column});
        if (withThroughKey) q.relationColumns.push_back(SelectItem{.column = throughColumn() + " as " + extraName()});
        return q;
    }
    std::string throughColumn() const { return through_->table + "." + throughForeign_->column; }
    std::string extraName() const { return "through_" + throughForeign_->column; }

    ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) override {
        ModelQueryCore q = baseQuery(client, callback, true);
        constrain(q.builder().state(), inKeys(throughColumn(), std::move(keys)));
        return q;
    }
    Value matchKey(const void* relatedModel) const override {
        const Value* k = extraValue(related(), relatedModel, extraName());
        return k ? *k : Value();
    }
    bool many() const override { return true; }
    bool refusesPagination() const override { return false; }

    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override {
        ModelQueryCore q = baseQuery(client, nullptr, true);
        constrain(q.builder().state(), basicWhere(throughColumn(), "=", ownerKey->access->get(parent), false, false));
        q.relationContext = std::string(kind()) + " relationship \"(" + name + ")\"";
        // the related rows that the query selects (through the parent's intermediate rows), by primary key
        q.joinedWrite = [](ModelQueryCore& self, const Attributes* values) -> int64_t {
            const ModelMeta& rm = self.meta();
            QueryBuilder b(&self.client(), rm.table);
            b.forModel(rm.name);
            b.state().wheres.push_back(inSelected(self, rm.primaryColumn().column, rm.table + "." + rm.primaryColumn().column));
            return values ? b.update(self.toColumns(*values)) : b.del();
        };
        return q;
    }

    QueryState existsSubquery(QueryClient& client, const QueryCallback& callback) override {
        ModelQueryCore q = baseQuery(client, callback, false);
        constrain(q.builder().state(), columnsEqual(throughColumn(), owner->table + "." + ownerKey->column));
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
