#pragma once
// manyToMany: parents and related rows meet in a pivot table (skill_user: user_id, skill_id, ...).
// morphToMany and morphedByMany derive from it (relations/morph_to_many/): a pivot with a type column.
#include "orm/relations/common/keyed_relation.hpp"

#include <optional>

namespace lucid::detail {

// The pivot table and its keys, resolved by boot(): what persistence and wherePivot need.
struct PivotKeys {
    std::string table, foreignKey, relatedForeignKey;  // skill_user, user_id, skill_id
    bool timestamps = false;                           // created_at / updated_at on the pivot rows
    // morphToMany / morphedByMany: the pivot's type column (taggable_type), and the model whose morph type
    // its rows hold; the pivot rows of other types are not the relation's.
    std::string typeColumn;
    const ModelMeta* typeOf = nullptr;
    // Adds "type column = the model's type" to a query of the pivot rows (nothing for a plain manyToMany).
    void constrainType(QueryState& q) const;
};

class ManyToManyRelation : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "manyToMany"; }
    void boot(const ModelMeta& o) override;
    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override;
    QueryState existsSubquery(const QueryCallback& callback, QueryClient* client) override;
    bool keysMeetDirectly() const override { return false; }
    const PivotKeys* pivot() const override { return &pivot_; }

    static Value now();  // the pivot timestamps' value

protected:
    ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys) override;
    Value matchKey(const void* relatedModel) const override;
    bool many() const override { return true; }
    void setPivot(PivotKeys keys);  // what boot() resolved (morphToMany resolves its own)

private:
    class Scope;
    // related rows joined to the pivot, its columns selected as pivot_<column> when `withPivotColumns`
    ModelQueryCore baseQuery(QueryClient* client, const QueryCallback& callback, std::shared_ptr<const Scope> scope);
    std::shared_ptr<const Scope> scope(bool withPivotColumns, std::string qualifier, std::optional<Value> writesFor = {}) const;

    PivotKeys pivot_;
    std::string matchExtra_;  // "pivot_" + the pivot's foreign key: the extra each related row matches on
};

}  // namespace lucid::detail
