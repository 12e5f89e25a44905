#pragma once
// ModelQueryCore: the untyped half of ModelQuery<T> (src/orm/model/query_core.cpp), and the small typed
// helpers ModelQuery<T> and the model definitions call.
#include <lucid/detail/model_ops.hpp>
#include <lucid/query.hpp>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace lucid::detail {

class Relation;
class QueryScope;  // what a relation adds to the query of its rows (src/orm/query_scope.hpp)
using QueryCallback = std::function<void(ModelQueryCore&)>;
enum class Trashed : unsigned char { Without, With, Only };  // the rows of a soft-deleting model a query reaches

struct PreloadSpec {
    Relation* relation;      // resolved once, when preload() is called
    QueryCallback callback;  // constraints and nested preloads
};

// The untyped part of a model query: compiled once, shared by every model.
class ModelQueryCore {
public:
    ModelQueryCore(const ModelMeta* meta, QueryClient* client);
    // Out of line: a query's clause tree is large, and every model's query code would inline it.
    ~ModelQueryCore();
    ModelQueryCore(const ModelQueryCore&);
    ModelQueryCore(ModelQueryCore&&) noexcept;
    ModelQueryCore& operator=(const ModelQueryCore&);
    ModelQueryCore& operator=(ModelQueryCore&&) noexcept;

    const ModelMeta& meta() const { return *meta_; }
    QueryBuilder& builder() { return builder_; }
    const QueryBuilder& builder() const { return builder_; }
    QueryClient& client() const;                  // the one given, else the model's connection
    QueryClient* explicitClient() const { return client_; }
    void useClient(QueryClient& c) { client_ = &c; }
    // Keeps a client alive as long as the query (a transaction view of a model's transaction).
    void holdClient(std::shared_ptr<QueryClient> c) {
        client_ = c.get();
        held_ = std::move(c);
    }
    // A property, a column, or the alias of a selected value (withCount's "posts_count": orderBy takes it).
    std::string resolveColumn(std::string_view propertyOrColumn) const {
        if (selectsAlias(propertyOrColumn)) return std::string(propertyOrColumn);
        return qualify(meta_->resolveColumn(propertyOrColumn));
    }
    bool selectsAlias(std::string_view name) const;
    // "col" -> "table.col" in queries that join another table (manyToMany, hasManyThrough).
    std::string qualify(std::string column) const;
    Attributes toColumns(const Attributes& values) const;  // property names -> column names

    Result fetch();                  // SELECT, with the table's columns unless told otherwise
    // first(): beforeFind hooks, one row hydrated into `out`, its preloads, afterFind. False when no row.
    bool firstInto(void* out);
    // after all() hydrated the rows: their preloads, then afterFetch.
    // all(): beforeFetch hooks, then each row hydrated into the model that append(vector) returns.
    void streamAll(void* vector, void* (*append)(void*), void (*reserve)(void*, std::size_t));
    // The related rows of a preload, as shared instances (streamed when no afterFetch hook needs a vector).
    std::vector<std::shared_ptr<void>> fetchShared();
    void finishAll(void* first, std::size_t stride, std::size_t count, void* vector);
    void preload(Relation& relation, QueryCallback callback);
    void runPreloads(const std::vector<void*>& parents);
    bool hasPreloads() const { return !preloads_.empty(); }
    ModelQueryCore emptyCopy() const;  // same model, client and scope, no clauses

    // The relation's part of the query (none for a model's own query): a scope shared by the query's copies.
    void setScope(std::shared_ptr<const QueryScope> scope);  // under the model's own scope, if it has one
    const QueryScope* scope() const { return scope_.get(); }
    bool addsColumns() const;        // the scope selects columns beside the user's (pivot_ / through_ keys)
    QueryBuilder selecting() const;  // the builder with the scope's columns applied
    int64_t write(const Attributes* values);  // update(), or del() when values is null
    void checkPaginate() const;      // throws when the scope refuses pagination (belongsTo, hasOne)
    // manyToMany queries: conditions on the pivot table (relations/many_to_many/pivot_wheres.cpp).
    void wherePivot(std::string_view column, std::string_view op, Value value, bool orJoin, bool negate);
    void whereInPivot(std::string_view column, Bindings values, bool orJoin, bool negate);
    void whereNullPivot(std::string_view column, bool orJoin, bool negate);

    std::string aggregateAlias;  // set by as() inside a withCount/withAggregate callback

    // The scope's conditions into the clause tree, on its table or alias, once: the last step before the
    // query is compiled, so that a relation may alias the table first. withTrashed() takes them out again.
    void seal();
    // The clause tree as another query's subquery: a copy, sealed, selecting the model's own columns
    // when the scope would add others (a pivot's).
    QueryState subqueryState() const;
    // Soft deletes (src/orm/soft_deletes/): throw for a model that does not soft-delete.
    void trashed(Trashed which);
    int64_t forceDelete();

private:
    void unseal();
    std::size_t sealedFrom_ = 0, sealedCount_ = 0;
    bool sealed_ = false;
    const ModelMeta* meta_;
    QueryClient* client_;
    QueryBuilder builder_;
    std::vector<PreloadSpec> preloads_;
    std::shared_ptr<QueryClient> held_;
    std::shared_ptr<const QueryScope> scope_;
};

// Rows -> fresh instances; the typed half of hydration.
template <class T> std::vector<T> hydrateAll(const ModelMeta& meta, Result& r, QueryClient& client) {
    std::vector<T> out(r.size());
    if (!out.empty()) hydrateRows(meta, r, out.data(), sizeof(T), client);
    return out;
}

template <class T> std::vector<std::shared_ptr<void>> fetchShared(const ModelMeta& meta, Result& r, QueryClient& client) {
    std::vector<T> rows = hydrateAll<T>(meta, r, client);
    for (const auto& f : meta.afterFetch) f(&rows);
    std::vector<std::shared_ptr<void>> out;
    out.reserve(rows.size());
    for (auto& x : rows) out.push_back(std::make_shared<T>(std::move(x)));
    return out;
}

std::string columnOfMember(const ModelMeta& meta, const std::string& memberKey);  // throws naming the model

template <class T, class M, class F> std::string memberColumn(const ModelMeta& meta, F M::*p) {
    static_assert(std::is_base_of_v<M, T>, "lucid: this member pointer belongs to another model than the query's");
    return columnOfMember(meta, memberKey(static_cast<F T::*>(p)));
}

}  // namespace lucid::detail
