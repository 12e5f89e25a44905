#pragma once
// morphTo: the owner's type and id columns (Comment.commentableType / commentableId) point at a row of one of
// several models (MorphTo<Post, Video>). Preloads group the parents by type: one query per type present.
#include "orm/relations/common/keyed_relation.hpp"

namespace lucid::detail {

class MorphToRelation final : public KeyedRelation {
public:
    using KeyedRelation::KeyedRelation;
    const char* kind() const override { return "morphTo"; }
    void boot(const ModelMeta& o) override;
    void preload(QueryClient& client, const std::vector<void*>& parents, const QueryCallback& callback) override;
    ModelQueryCore relatedQuery(QueryClient& client, const void* parent) override;
    QueryState existsSubquery(const QueryCallback& callback, QueryClient* client) override;
    const ModelMeta& relatedOf(const void* parent) const override;
    std::vector<std::pair<SchemaColumn, SchemaColumn>> keyPairs() const override;

    // parent's type and id := related's (relatedMeta: one of the targets), or null when related is null.
    void point(void* parent, const ModelMeta* relatedMeta, const void* related) const;

private:
    struct Target {
        const ModelMeta& (*meta)();
        const ColumnMeta* key;  // the column the id points at (its primary key unless localKey says otherwise)
    };
    // The target whose morph type is `type`; throws naming it when none is.
    std::size_t targetOf(const std::string& type, const std::vector<std::string>& types) const;
    std::size_t targetOf(const ModelMeta& meta) const;
    // Fills the holders of the parents of one type with its rows: one query.
    void preloadTarget(QueryClient& client, std::size_t t, const std::vector<void*>& parents, const std::vector<Value>& keys,
                       const QueryCallback& callback) const;

    std::vector<Target> targets_;
    const ColumnMeta* typeKey_ = nullptr;  // Comment.commentableType; ownerKey is Comment.commentableId
};

}  // namespace lucid::detail
