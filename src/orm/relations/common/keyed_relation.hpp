#pragma once
// KeyedRelation: the base of every kind. A parent matches related rows on one key pair (the kinds that join
// a third table match through a key they select beside the related columns).
#include <lucid/detail/relation.hpp>

namespace lucid::detail {

class KeyedRelation : public Relation {
public:
    using Relation::Relation;

    // Set-based: the parents' distinct keys, one query, a hash from key to related rows.
    void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) override;
    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override;
    QueryState existsSubquery(const QueryCallback& callback, QueryClient* client) override;

protected:
    // "Profile.user" expects "userId" to exist on "Profile" model, but is missing
    const ColumnMeta* requireKey(const ModelMeta& on, const std::string& property) const;
    // The related rows of every parent key, and the key each related row matches on.
    virtual ModelQueryCore preloadQuery(QueryClient& client, const QueryCallback& callback, Bindings keys);
    virtual Value matchKey(const void* relatedModel) const;
    virtual bool many() const { return false; }
    // A parent's related rows: the query of the kinds that hold a list may paginate.
    std::string context() const;

private:
    void fillHolders(const std::vector<void*>& parents, const std::vector<Value>& parentKeys,
                     const std::vector<std::shared_ptr<void>>& rows) const;
};

}  // namespace lucid::detail
