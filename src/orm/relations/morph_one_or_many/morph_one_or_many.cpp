// morphOne / morphMany: hasOne's and hasMany's keys (Comment.commentableId -> Post.id), and the related
// rows' type column (Comment.commentableType) holding the owner's morph type, in every query and save.
#include "orm/relations/common/keyed_relation.hpp"
#include "query/where_nodes.hpp"

namespace lucid::detail {
namespace {

class MorphOneOrManyRelation final : public KeyedRelation {
public:
    MorphOneOrManyRelation(bool many, std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                           std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config)
        : KeyedRelation(std::move(name), related, relatedDefinition, std::move(holder), std::move(member), std::move(config)),
          many_(many) {}
    const char* kind() const override { return many_ ? "morphMany" : "morphOne"; }

    void boot(const ModelMeta& o) override {
        owner = &o;
        const ModelMeta& rel = relatedDefinition();
        const std::string& morph = config.morphName;
        if (morph.empty() && (config.typeKey.empty() || config.idKey.empty()))
            throw DefinitionError(label() + " needs a morphName (or both typeKey and idKey): the name of the inverse morphTo");
        ownerKey = requireKey(o, config.localKey.empty() ? o.primaryColumn().property : config.localKey);
        relatedKey = requireKey(rel, config.idKey.empty() ? morph + "Id" : config.idKey);
        typeKey_ = requireKey(rel, config.typeKey.empty() ? morph + "Type" : config.typeKey);
    }

    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override {
        ModelQueryCore q = KeyedRelation::relatedQuery(client, parent);
        constrainType(q.builder().state());
        return q;
    }
    QueryState existsSubquery(const QueryCallback& callback, QueryClient* client) override {
        QueryState st = KeyedRelation::existsSubquery(callback, client);
        constrainType(st);
        return st;
    }
    void tagRelated(void* related) const override { typeKey_->access->set(related, Value(morphTypeOf(*owner))); }
    std::vector<SchemaColumn> typeColumns() const override { return {{related().table, typeKey_->column}}; }

protected:
    ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) override {
        ModelQueryCore q = KeyedRelation::preloadQuery(client, callback, std::move(keys));
        constrainType(q.builder().state());
        return q;
    }
    bool many() const override { return many_; }

private:
    // type column = the owner's type, on the related table (or its alias in a self-relation's subquery)
    void constrainType(QueryState& st) const {
        const std::string& table = st.alias.empty() ? st.table : st.alias;
        constrain(st, basicWhere(table + "." + typeKey_->column, "=", Value(morphTypeOf(*owner)), false, false));
    }

    bool many_;
    const ColumnMeta* typeKey_ = nullptr;  // Comment.commentableType
};

}  // namespace

std::unique_ptr<Relation> makeMorphOne(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                       std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<MorphOneOrManyRelation>(false, std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                    std::move(config));
}

std::unique_ptr<Relation> makeMorphMany(std::string name, const ModelMeta& (*related)(), const ModelMeta& (*relatedDefinition)(),
                                        std::unique_ptr<HolderAccess> holder, std::string member, RelationConfig config) {
    return std::make_unique<MorphOneOrManyRelation>(true, std::move(name), related, relatedDefinition, std::move(holder), std::move(member),
                                                    std::move(config));
}

}  // namespace lucid::detail
