#pragma once
// ModelQuery<T>: the query builder of a model. Member pointers and property names become columns;
// rows hydrate straight into the struct's fields.
#include <lucid/cursor.hpp>
#include <lucid/detail/field_codec.hpp>
#include <lucid/detail/model_query_core.hpp>
#include <lucid/query.hpp>

#include <concepts>
#include <optional>
#include <type_traits>
#include <vector>

namespace lucid {

template <class T> class ModelQuery;


template <class T> class ModelQuery : public QueryMethods<ModelQuery<T>> {
public:
    explicit ModelQuery(detail::ModelQueryCore core) : core_(std::move(core)) {}

    // QueryMethods plumbing
    detail::QueryState& state() { return core_.builder().state(); }
    const detail::QueryState& state() const { return core_.builder().state(); }
    std::string resolveColumn(std::string_view name) const { return core_.resolveColumn(name); }
    template <class M, class F> std::string resolveColumn(F M::*p) const { return core_.qualify(detail::memberColumn<T>(core_.meta(), p)); }
    ModelQuery newGroup() const { return ModelQuery(core_.emptyCopy()); }
    detail::QueryState subqueryState() const { return core_.subqueryState(); }  // as another query's subquery

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
        allInto(out);
        return out;
    }
    // all() into `out`, which keeps its capacity (chunk() reuses one vector for every chunk)
    void allInto(std::vector<T>& out) {
        out.clear();
        core_.streamAll(
            &out, [](void* v) -> void* { return &static_cast<std::vector<T>*>(v)->emplace_back(); },
            [](void* v, std::size_t n) { static_cast<std::vector<T>*>(v)->reserve(n); });
        if (!out.empty()) core_.finishAll(out.data(), sizeof(T), out.size(), &out);
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
    // soft deletes: trashed rows too, or only them; forceDelete() DELETEs the rows del() would mark trashed
    ModelQuery& withTrashed() { core_.trashed(detail::Trashed::With); return *this; }
    ModelQuery& onlyTrashed() { core_.trashed(detail::Trashed::Only); return *this; }
    int64_t forceDelete() { return core_.forceDelete(); }

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

    // ---- big result sets (API.md §12; src/orm/model/large_results.cpp) ----
    // fn(std::vector<T>&) per chunk of `size` rows walked by primary key; the preloads run once per chunk.
    template <class F> void chunk(int64_t size, F&& fn) {
        std::vector<T> batch;
        for (detail::KeysetWalk walk(core_, size);;) {
            ModelQuery(walk.page()).allInto(batch);
            const bool more = walk.next(batch.size(), batch.empty() ? nullptr : &batch.back());
            if (!batch.empty()) fn(batch);
            if (!more) return;
        }
    }
    // fn(T&) per row, fetched `size` at a time as chunk() does.
    template <class F> void each(F&& fn, int64_t size = 1000) {
        chunk(size, [&fn](std::vector<T>& batch) {
            for (T& row : batch) fn(row);
        });
    }
    // One statement, its rows hydrated one at a time as the loop asks (no preloads).
    Cursor<T> cursor() { return Cursor<T>(core_); }

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
        core_.seal();
        return core_.builder();
    }
    detail::ModelQueryCore core_;
};

}  // namespace lucid
