#pragma once
// What belongsTo, hasOne and hasMany share: a parent matches related rows on one pair of key columns.
// Each kind (belongs_to.cpp, has_one.cpp, has_many.cpp) decides its default keys and how it fills holders.
#include <lucid/model.hpp>
#include <lucid/relations/relation.hpp>

namespace lucid::detail {

struct ValueHash {
    std::size_t operator()(const Value& v) const noexcept { return v.hash(); }
};
struct ValueEq {
    bool operator()(const Value& a, const Value& b) const { return a.looselyEquals(b); }
};

class KeyedRelation : public Relation {
public:
    using Relation::Relation;

    void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) override;
    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override;
    QueryState existsSubquery(QueryClient& client, const QueryCallback& callback) override;

    // "Profile.user" expects "userId" to exist on "Profile" model, but is missing
    const ColumnMeta* requireKey(const ModelMeta& on, const std::string& property) const;

protected:
    // The related rows of every parent key, and the key each related row matches on.
    virtual ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys);
    virtual Value matchKey(const void* relatedModel) const;
    virtual bool many() const { return false; }
    virtual bool refusesPagination() const { return true; }
};

// The relation's onQuery, then the caller's callback, each sealed into the query's scope: the relation's
// own keys are added to the scope after them, and what the user adds later is bracketed (Lucid's wrapExisting).
void applyConstraints(const Relation& r, ModelQueryCore& q, const QueryCallback& callback);
WhereNode inKeys(std::string column, Bindings keys);
WhereNode columnsEqual(std::string column, std::string other);
// "column in (select <selected> from <q's rows>)": how update()/del() reach the rows of a query that joins.
WhereNode inSelected(const ModelQueryCore& q, std::string column, std::string selected);

// The value of a column that a joined query put in extras() (pivot_user_id, through_country_id).
const Value* extraValue(const ModelMeta& meta, const void* model, const std::string& name);

}  // namespace lucid::detail
