#pragma once
// ModelQuery<T>: the query builder of a model. Member pointers and property names become columns;
// rows hydrate straight into the struct's fields.
#include <lucid/detail/field_codec.hpp>
#include <lucid/detail/model_ops.hpp>
#include <lucid/query.hpp>

#include <concepts>
#include <optional>
#include <type_traits>
#include <vector>

namespace lucid {

template <class T> class ModelQuery;

namespace detail {

class Relation;
class QueryScope;  // what a relation adds to the query of its rows (src/orm/query_scope.hpp)
using QueryCallback = std::function<void(ModelQueryCore&)>;

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
    void setScope(std::shared_ptr<const QueryScope> scope) { scope_ = std::move(scope); }
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

private:
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

}  // namespace detail

template <class T> class ModelQuery : public QueryMethods<ModelQuery<T>> {
public:
    explicit ModelQuery(detail::ModelQueryCore core) : core_(std::move(core)) {}

    // QueryMethods plumbing
    detail::QueryState& state() { return core_.builder().state(); }
    const detail::QueryState& state() const { return core_.builder().state(); }
    std::string resolveColumn(std::string_view name) const { return core_.resolveColumn(name); }
    template <class M, class F> std::string resolveColumn(F M::*p) const { return core_.qualify(detail::memberColumn<T>(core_.meta(), p)); }
    ModelQuery newGroup() const { return ModelQuery(core_.emptyCopy()); }

    ModelQuery& from(std::string_view table) {
        state().table = std::string(table);
        return *this;
    }
    template <class F> ModelQuery& apply(F&& scope) {
        scope(*this);
        return *this;
    }

    std::vector<T> all() {
        std::vector<T> out;
        core_.streamAll(
            &out, [](void* v) -> void* { return &static_cast<std::vector<T>*>(v)->emplace_back(); },
            [](void* v, std::size_t n) { static_cast<std::vector<T>*>(v)->reserve(n); });
        if (!out.empty()) core_.finishAll(out.data(), sizeof(T), out.size(), &out);
        return out;
    }
    std::vector<T> exec() { return all(); }

    std::optional<T> first() {
        std::optional<T> out(std::in_place);
        if (!core_.firstInto(&*out)) out.reset();
        return out;
    }
    T firstOrFail() {
        auto r = first();
        if (!r) detail::throwRowNotFound(core_.meta());
        return std::move(*r);
    }

    int64_t count(std::string_view column = "*") { return scoped().count(column == "*" ? "*" : resolveColumn(column)); }
    template <class M, class F> int64_t count(F M::*p) { return scoped().count(resolveColumn(p)); }
    // sum/min/max of a column with ColumnOptions::scale: decimal text of that scale on every database
    template <class C> Value sum(const C& col) { return scaled(resolveColumn(col), "sum"); }
    template <class C> Value avg(const C& col) { return scoped().avg(resolveColumn(col)); }
    template <class C> Value min(const C& col) { return scaled(resolveColumn(col), "min"); }
    template <class C> Value max(const C& col) { return scaled(resolveColumn(col), "max"); }

    int64_t update(const Attributes& values) { return core_.write(&values); }
    int64_t del() { return core_.write(nullptr); }

    // manyToMany queries (preload callbacks and related(...).query()): conditions on the pivot table.
    ModelQuery& wherePivot(std::string_view col, Value v) { core_.wherePivot(col, "=", std::move(v), false, false); return *this; }
    ModelQuery& wherePivot(std::string_view col, std::string_view op, Value v) { core_.wherePivot(col, op, std::move(v), false, false); return *this; }
    ModelQuery& orWherePivot(std::string_view col, Value v) { core_.wherePivot(col, "=", std::move(v), true, false); return *this; }
    ModelQuery& orWherePivot(std::string_view col, std::string_view op, Value v) { core_.wherePivot(col, op, std::move(v), true, false); return *this; }
    ModelQuery& whereNotPivot(std::string_view col, Value v) { core_.wherePivot(col, "=", std::move(v), false, true); return *this; }
    ModelQuery& whereNotPivot(std::string_view col, std::string_view op, Value v) { core_.wherePivot(col, op, std::move(v), false, true); return *this; }
    ModelQuery& whereInPivot(std::string_view col, Bindings values) { core_.whereInPivot(col, std::move(values), false, false); return *this; }
    ModelQuery& orWhereInPivot(std::string_view col, Bindings values) { core_.whereInPivot(col, std::move(values), true, false); return *this; }
    ModelQuery& whereNotInPivot(std::string_view col, Bindings values) { core_.whereInPivot(col, std::move(values), false, true); return *this; }
    ModelQuery& whereNullPivot(std::string_view col) { core_.whereNullPivot(col, false, false); return *this; }
    ModelQuery& orWhereNullPivot(std::string_view col) { core_.whereNullPivot(col, true, false); return *this; }
    ModelQuery& whereNotNullPivot(std::string_view col) { core_.whereNullPivot(col, false, true); return *this; }
    template <class C> int64_t increment(const C& col, int64_t by = 1) { return scoped().increment(resolveColumn(col), by); }
    template <class C> int64_t decrement(const C& col, int64_t by = 1) { return scoped().decrement(resolveColumn(col), by); }

    Page<T> paginate(int64_t page, int64_t perPage = 20) {
        core_.checkPaginate();
        const int64_t offset = detail::pageOffset(page, perPage);
        int64_t total = ModelQuery(*this).clearOrder().count();
        auto savedLimit = state().limit;
        auto savedOffset = state().offset;
        state().limit = perPage;
        state().offset = offset;
        std::vector<T> items = all();
        state().limit = savedLimit;
        state().offset = savedOffset;
        return Page<T>(std::move(items), total, perPage, page);
    }

    std::pair<std::string, Bindings> toSQL() {
        scoped();
        return core_.selecting().toSQL();
    }

    // ---- relationships (defined in relations/query_relations.hpp) ----
    template <class H> ModelQuery& preload(H T::*relation);
    template <class H, class F> ModelQuery& preload(H T::*relation, F&& callback);
    ModelQuery& preload(std::string_view relation);
    template <class H> ModelQuery& has(H T::*relation, std::string_view op = ">=", int64_t count = 1);
    template <class H> ModelQuery& orHas(H T::*relation, std::string_view op = ">=", int64_t count = 1);
    template <class H> ModelQuery& doesntHave(H T::*relation, std::string_view op = ">=", int64_t count = 1);
    template <class H> ModelQuery& orDoesntHave(H T::*relation, std::string_view op = ">=", int64_t count = 1);
    ModelQuery& has(std::string_view relation, std::string_view op = ">=", int64_t count = 1);
    ModelQuery& doesntHave(std::string_view relation, std::string_view op = ">=", int64_t count = 1);
    template <class H, class F> ModelQuery& whereHas(H T::*relation, F&& callback, std::string_view op = ">=", int64_t count = 1);
    template <class H, class F> ModelQuery& orWhereHas(H T::*relation, F&& callback, std::string_view op = ">=", int64_t count = 1);
    template <class H, class F> ModelQuery& whereDoesntHave(H T::*relation, F&& callback, std::string_view op = ">=", int64_t count = 1);
    template <class H, class F> ModelQuery& orWhereDoesntHave(H T::*relation, F&& callback, std::string_view op = ">=", int64_t count = 1);
    template <class H> ModelQuery& withCount(H T::*relation);
    template <class H, class F> ModelQuery& withCount(H T::*relation, F&& callback);
    template <class H, class A> ModelQuery& withAggregate(H T::*relation, const A& aggregate);
    template <class H, class A, class F> ModelQuery& withAggregate(H T::*relation, const A& aggregate, F&& callback);
    // Inside a withCount/withAggregate callback: the name of the value in extras().
    ModelQuery& as(std::string alias) {
        core_.aggregateAlias = std::move(alias);
        return *this;
    }

    detail::ModelQueryCore& core() { return core_; }
    const detail::ModelQueryCore& core() const { return core_; }

private:
    Value scaled(const std::string& column, const char* fn) { return detail::scaledAggregate(core_.meta(), scoped(), fn, column); }
    QueryBuilder& scoped() {
        core_.builder().useClient(core_.client()).forModel(core_.meta().name);
        return core_.builder();
    }
    detail::ModelQueryCore core_;
};

}  // namespace lucid
