#pragma once
// The database query builder, and the where/select/order family it shares with ModelQuery<T>.
#include <lucid/query_client.hpp>
#include <lucid/detail/query_nodes.hpp>

#include <chrono>
#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lucid {

template <class T> class Page {
public:
    Page(std::vector<T> items, int64_t total, int64_t perPage, int64_t currentPage)
        : items_(std::move(items)), total_(total), perPage_(perPage), currentPage_(currentPage) {}
    const std::vector<T>& items() const noexcept { return items_; }
    std::vector<T>& items() noexcept { return items_; }
    int64_t total() const noexcept { return total_; }
    int64_t perPage() const noexcept { return perPage_; }
    int64_t currentPage() const noexcept { return currentPage_; }
    int64_t firstPage() const noexcept { return 1; }
    int64_t lastPage() const noexcept { return total_ == 0 ? 1 : total_ / perPage_ + (total_ % perPage_ != 0); }
    bool hasMorePages() const noexcept { return currentPage_ < lastPage(); }
    bool isEmpty() const noexcept { return items_.empty(); }
    // Lucid's paginator as JSON: links are "<baseUrl>?page=N" ("/" until baseUrl() is called).
    Page& baseUrl(std::string url) { baseUrl_ = std::move(url); return *this; }
    template <class J = nlohmann::json> J toJSON() const {
        J j;
        detail::pageMeta(j["meta"], total_, perPage_, currentPage_, lastPage(), baseUrl_);
        J& data = j["data"] = J::array();
        for (const T& item : items_) {
            if constexpr (std::same_as<T, Row>) detail::rowJson(data.emplace_back(), item);
            else data.push_back(item.serialize());
        }
        return j;
    }

private:
    std::vector<T> items_;
    int64_t total_, perPage_, currentPage_;
    std::string baseUrl_ = "/";
};

class QueryBuilder;


// CRTP: Self provides state(), resolveColumn(name or member pointer) and newGroup().
template <class Self> class QueryMethods {
public:
    using Node = detail::WhereNode;

    template <class C> Self& where(const C& col, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), "=", std::move(value), false, false); return self(); }
    template <class C> Self& where(const C& col, std::string_view op, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), op, std::move(value), false, false); return self(); }
    template <class C> Self& orWhere(const C& col, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), "=", std::move(value), true, false); return self(); }
    template <class C> Self& orWhere(const C& col, std::string_view op, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), op, std::move(value), true, false); return self(); }
    template <class C> Self& whereNot(const C& col, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), "=", std::move(value), false, true); return self(); }
    template <class C> Self& whereNot(const C& col, std::string_view op, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), op, std::move(value), false, true); return self(); }
    template <class C> Self& orWhereNot(const C& col, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), "=", std::move(value), true, true); return self(); }
    template <class C> Self& orWhereNot(const C& col, std::string_view op, Value value) { detail::addBasic(self().state(), self().resolveColumn(col), op, std::move(value), true, true); return self(); }

    template <std::invocable<Self&> F> Self& where(F&& fn) { return add(group(fn, false, false)); }
    template <std::invocable<Self&> F> Self& orWhere(F&& fn) { return add(group(fn, true, false)); }
    template <std::invocable<Self&> F> Self& whereNot(F&& fn) { return add(group(fn, false, true)); }
    template <std::invocable<Self&> F> Self& orWhereNot(F&& fn) { return add(group(fn, true, true)); }

    template <class C> Self& whereIn(const C& col, Bindings values) { detail::addIn(self().state(), self().resolveColumn(col), std::move(values), false, false); return self(); }
    template <class C> Self& orWhereIn(const C& col, Bindings values) { detail::addIn(self().state(), self().resolveColumn(col), std::move(values), true, false); return self(); }
    template <class C> Self& whereNotIn(const C& col, Bindings values) { detail::addIn(self().state(), self().resolveColumn(col), std::move(values), false, true); return self(); }
    template <class C> Self& orWhereNotIn(const C& col, Bindings values) { detail::addIn(self().state(), self().resolveColumn(col), std::move(values), true, true); return self(); }

    // col [not] in (select ...): a query builder or a model query
    template <class C, detail::Subquery Q> Self& whereIn(const C& col, const Q& sub) { return add(inSub(col, sub, false, false)); }
    template <class C, detail::Subquery Q> Self& orWhereIn(const C& col, const Q& sub) { return add(inSub(col, sub, true, false)); }
    template <class C, detail::Subquery Q> Self& whereNotIn(const C& col, const Q& sub) { return add(inSub(col, sub, false, true)); }
    template <class C, detail::Subquery Q> Self& orWhereNotIn(const C& col, const Q& sub) { return add(inSub(col, sub, true, true)); }

    template <class C> Self& whereNull(const C& col) { detail::addNull(self().state(), self().resolveColumn(col), false, false); return self(); }
    template <class C> Self& orWhereNull(const C& col) { detail::addNull(self().state(), self().resolveColumn(col), true, false); return self(); }
    template <class C> Self& whereNotNull(const C& col) { detail::addNull(self().state(), self().resolveColumn(col), false, true); return self(); }
    template <class C> Self& orWhereNotNull(const C& col) { detail::addNull(self().state(), self().resolveColumn(col), true, true); return self(); }

    template <class C> Self& whereBetween(const C& col, Value low, Value high) { return add(between(col, std::move(low), std::move(high), false, false)); }
    template <class C> Self& orWhereBetween(const C& col, Value low, Value high) { return add(between(col, std::move(low), std::move(high), true, false)); }
    template <class C> Self& whereNotBetween(const C& col, Value low, Value high) { return add(between(col, std::move(low), std::move(high), false, true)); }
    template <class C> Self& orWhereNotBetween(const C& col, Value low, Value high) { return add(between(col, std::move(low), std::move(high), true, true)); }

    // LIKE is case-sensitive on PostgreSQL and case-insensitive for ASCII on SQLite; whereILike is
    // case-insensitive on both.
    template <class C> Self& whereLike(const C& col, Value pattern) { return add(like(col, std::move(pattern), "like", false)); }
    template <class C> Self& orWhereLike(const C& col, Value pattern) { return add(like(col, std::move(pattern), "like", true)); }
    template <class C> Self& whereILike(const C& col, Value pattern) { return add(like(col, std::move(pattern), "ilike", false)); }
    template <class C> Self& orWhereILike(const C& col, Value pattern) { return add(like(col, std::move(pattern), "ilike", true)); }

    template <std::invocable<Self&> F> Self& whereExists(F&& fn) { return add(exists(fn, false, false)); }
    template <std::invocable<Self&> F> Self& orWhereExists(F&& fn) { return add(exists(fn, true, false)); }
    template <std::invocable<Self&> F> Self& whereNotExists(F&& fn) { return add(exists(fn, false, true)); }
    template <std::invocable<Self&> F> Self& orWhereNotExists(F&& fn) { return add(exists(fn, true, true)); }

    template <detail::Subquery Q> Self& whereExists(const Q& sub) { return add(existsSub(sub, false, false)); }
    template <detail::Subquery Q> Self& orWhereExists(const Q& sub) { return add(existsSub(sub, true, false)); }
    template <detail::Subquery Q> Self& whereNotExists(const Q& sub) { return add(existsSub(sub, false, true)); }
    template <detail::Subquery Q> Self& orWhereNotExists(const Q& sub) { return add(existsSub(sub, true, true)); }

    template <class A, class B> Self& whereColumn(const A& a, std::string_view op, const B& b) { return add(column(a, op, b, false, false)); }
    template <class A, class B> Self& orWhereColumn(const A& a, std::string_view op, const B& b) { return add(column(a, op, b, true, false)); }
    template <class A, class B> Self& whereNotColumn(const A& a, std::string_view op, const B& b) { return add(column(a, op, b, false, true)); }

    Self& whereRaw(std::string sql, Bindings bindings = {}) { return add(raw(std::move(sql), std::move(bindings), false)); }
    Self& orWhereRaw(std::string sql, Bindings bindings = {}) { return add(raw(std::move(sql), std::move(bindings), true)); }

    template <class... C> Self& select(const C&... cols) {
        (self().state().select.push_back(detail::SelectItem{.column = self().resolveColumn(cols)}), ...);
        return self();
    }
    Self& selectRaw(std::string sql, Bindings bindings = {}) {
        self().state().select.push_back(detail::SelectItem{.raw = std::move(sql), .bindings = std::move(bindings)});
        return self();
    }
    Self& distinct() { self().state().distinct = true; return self(); }
    template <class A, class B> Self& join(std::string_view table, const A& first, std::string_view op, const B& second) {
        return addJoin("inner join", table, first, op, second);
    }
    template <class A, class B> Self& join(std::string_view table, const A& first, const B& second) {
        return addJoin("inner join", table, first, "=", second);
    }
    template <class A, class B> Self& leftJoin(std::string_view table, const A& first, std::string_view op, const B& second) {
        return addJoin("left join", table, first, op, second);
    }
    template <class A, class B> Self& leftJoin(std::string_view table, const A& first, const B& second) {
        return addJoin("left join", table, first, "=", second);
    }
    template <class... C> Self& groupBy(const C&... cols) {
        (self().state().groupBy.push_back(self().resolveColumn(cols)), ...);
        return self();
    }
    template <class C> Self& having(const C& col, std::string_view op, Value value) {
        self().state().havings.push_back(basic(col, op, std::move(value), false, false));
        return self();
    }
    Self& havingRaw(std::string sql, Bindings bindings = {}) {
        self().state().havings.push_back(raw(std::move(sql), std::move(bindings), false));
        return self();
    }
    template <class C> Self& orderBy(const C& col, Order order = Order::Asc) {
        self().state().orders.push_back(detail::OrderItem{.column = self().resolveColumn(col), .order = order});
        return self();
    }
    Self& orderByRaw(std::string sql) {
        self().state().orders.push_back(detail::OrderItem{.raw = std::move(sql)});
        return self();
    }
    Self& limit(int64_t n) { self().state().limit = n; return self(); }
    Self& offset(int64_t n) { self().state().offset = n; return self(); }
    // Row locks (PostgreSQL); SQLite locks the whole database on write, so there they add nothing.
    Self& forUpdate() { self().state().lock = detail::RowLock::Update; return self(); }
    Self& forShare() { self().state().lock = detail::RowLock::Share; return self(); }
    Self& skipLocked() { self().state().lockWait = detail::LockWait::SkipLocked; return self(); }
    Self& noWait() { self().state().lockWait = detail::LockWait::NoWait; return self(); }
    // Past this long the statement is cancelled on the server (PostgreSQL) or interrupted (SQLite), and
    // lucid::QueryTimeout is thrown; a negative time is refused.
    Self& timeout(std::chrono::milliseconds limit) {
        if (limit.count() < 0) throw Error("E_INVALID_TIMEOUT", "timeout() needs a time of 0 ms or more, got " + std::to_string(limit.count()) + " ms");
        self().state().timeoutMs = limit.count();
        return self();
    }
    // FROM (subquery) AS alias
    template <detail::Subquery Q> Self& fromSub(const Q& sub, std::string_view alias) {
        detail::setFromSub(self().state(), detail::subqueryOf(sub), alias);
        return self();
    }
    // (select ...) AS alias, among the selected columns
    template <detail::Subquery Q> Self& selectSub(const Q& sub, std::string_view alias) {
        detail::addSelectSub(self().state(), detail::subqueryOf(sub), alias);
        return self();
    }
    // `union` is a C++ keyword: a trailing underscore, as float_ and double_
    template <detail::Subquery Q> Self& union_(const Q& other) { detail::addUnion(self().state(), detail::subqueryOf(other), false); return self(); }
    template <detail::Subquery Q> Self& unionAll(const Q& other) { detail::addUnion(self().state(), detail::subqueryOf(other), true); return self(); }
    // WITH name AS (query) / WITH RECURSIVE
    template <detail::Subquery Q> Self& with(std::string_view name, const Q& query) {
        detail::addCte(self().state(), name, detail::subqueryOf(query), false);
        return self();
    }
    template <detail::Subquery Q> Self& withRecursive(std::string_view name, const Q& query) {
        detail::addCte(self().state(), name, detail::subqueryOf(query), true);
        return self();
    }

    Self& clearOrder() { self().state().orders.clear(); return self(); }
    Self& clearSelect() { self().state().select.clear(); return self(); }
    Self& clearLimit() { self().state().limit.reset(); self().state().offset.reset(); return self(); }

protected:
    Self& self() { return static_cast<Self&>(*this); }
    const Self& self() const { return static_cast<const Self&>(*this); }
    Self& add(Node n) { self().state().wheres.push_back(std::move(n)); return self(); }

    template <class C> Node basic(const C& col, std::string_view op, Value v, bool orJoin, bool negate) {
        return detail::basicWhere(self().resolveColumn(col), op, std::move(v), orJoin, negate);
    }
    template <class F> Node group(F& fn, bool orJoin, bool negate) {
        Self inner = self().newGroup();
        fn(inner);
        Node n{.kind = detail::WhereKind::Group, .orJoin = orJoin, .negate = negate};
        n.group = std::move(inner.state().wheres);
        return n;
    }
    template <class C> Node in(const C& col, Bindings values, bool orJoin, bool negate) {
        Node n{.kind = detail::WhereKind::In, .orJoin = orJoin, .negate = negate, .column = self().resolveColumn(col)};
        n.values = std::move(values);
        return n;
    }
    template <class C> Node null(const C& col, bool orJoin, bool negate) {
        return Node{.kind = detail::WhereKind::Null, .orJoin = orJoin, .negate = negate, .column = self().resolveColumn(col)};
    }
    template <class C> Node between(const C& col, Value lo, Value hi, bool orJoin, bool negate) {
        Node n{.kind = detail::WhereKind::Between, .orJoin = orJoin, .negate = negate, .column = self().resolveColumn(col)};
        n.value = std::move(lo);
        n.value2 = std::move(hi);
        return n;
    }
    template <class C> Node like(const C& col, Value pattern, std::string_view op, bool orJoin) {
        Node n{.kind = detail::WhereKind::Like, .orJoin = orJoin, .column = self().resolveColumn(col), .op = std::string(op)};
        n.value = std::move(pattern);
        return n;
    }
    template <class F> Node exists(F& fn, bool orJoin, bool negate) {
        Self inner = self().newGroup();
        fn(inner);
        Node n{.kind = detail::WhereKind::Exists, .orJoin = orJoin, .negate = negate};
        n.sub = std::make_shared<detail::QueryState>(std::move(inner.state()));
        return n;
    }
    template <class C, class Q> Node inSub(const C& col, const Q& sub, bool orJoin, bool negate) {
        Node n{.kind = detail::WhereKind::In, .orJoin = orJoin, .negate = negate, .column = self().resolveColumn(col)};
        n.sub = detail::subqueryOf(sub);
        return n;
    }
    template <class Q> Node existsSub(const Q& sub, bool orJoin, bool negate) {
        Node n{.kind = detail::WhereKind::Exists, .orJoin = orJoin, .negate = negate};
        n.sub = detail::subqueryOf(sub);
        return n;
    }
    template <class A, class B> Node column(const A& a, std::string_view op, const B& b, bool orJoin, bool negate) {
        detail::checkOperator(op);
        return Node{.kind = detail::WhereKind::Column, .orJoin = orJoin, .negate = negate,
                    .column = self().resolveColumn(a), .op = std::string(op), .column2 = self().resolveColumn(b)};
    }
    Node raw(std::string sql, Bindings bindings, bool orJoin) {
        Node n{.kind = detail::WhereKind::Raw, .orJoin = orJoin};
        n.raw = std::move(sql);
        n.values = std::move(bindings);
        return n;
    }
    template <class A, class B> Self& addJoin(const char* type, std::string_view table, const A& first, std::string_view op, const B& second) {
        detail::checkOperator(op);
        self().state().joins.push_back(detail::JoinClause{type, std::string(table), self().resolveColumn(first), std::string(op),
                                                          self().resolveColumn(second)});
        return self();
    }
};

// Queries on tables, without models: db.from("users").where("id", 1).first().
class QueryBuilder : public QueryMethods<QueryBuilder> {
public:
    explicit QueryBuilder(QueryClient* client = nullptr, std::string table = {});

    QueryBuilder& from(std::string_view table) { state_.table = std::string(table); return *this; }
    QueryBuilder& as(std::string_view alias) { state_.alias = std::string(alias); return *this; }
    Result exec();
    std::optional<Row> first();
    int64_t count(std::string_view column = "*");
    Value sum(std::string_view column);
    Value avg(std::string_view column);
    Value min(std::string_view column);
    Value max(std::string_view column);
    Page<Row> paginate(int64_t page, int64_t perPage = 20);

    // The new row's id: RETURNING "id" on PostgreSQL, the rowid on SQLite.
    int64_t insert(const Attributes& values);
    // The value of `returning` in the new row, on every dialect.
    Value insertReturning(const Attributes& values, std::string_view returning);
    // Several rows in as few statements as the bind limit allows; rows affected.
    int64_t insertMany(const std::vector<Attributes>& rows);
    // Rows that would break a unique constraint are skipped; the rows inserted.
    int64_t insertOrIgnore(const std::vector<Attributes>& rows);
    // INSERT ... ON CONFLICT (conflictColumns) DO UPDATE SET each of updateColumns (all inserted columns but the
    // conflict ones when empty) to the new row's value; rows inserted or updated. No conflict column: lucid::Error.
    int64_t upsert(const std::vector<Attributes>& rows, const std::vector<std::string>& conflictColumns,
                   const std::vector<std::string>& updateColumns);
    int64_t update(const Attributes& values);
    int64_t del();
    int64_t increment(std::string_view column, int64_t by = 1);
    int64_t decrement(std::string_view column, int64_t by = 1);

    std::pair<std::string, Bindings> toSQL() const;

    // QueryMethods plumbing
    detail::QueryState& state() { return state_; }
    const detail::QueryState& state() const { return state_; }
    std::string resolveColumn(std::string_view name) const { return std::string(name); }
    QueryBuilder newGroup() const { return QueryBuilder(client_); }
    QueryClient& client() const;
    QueryBuilder& useClient(QueryClient& c) { client_ = &c; return *this; }
    QueryBuilder& forModel(std::string_view model) { model_ = model; return *this; }

    // fn(column) over the query's rows; `exact`: a PostgreSQL numeric stays text (as<Decimal>() reads it
    // exactly) instead of becoming a number.
    Value aggregate(const char* fn, std::string_view column, bool exact = false);

private:
    int64_t insertRows(const std::vector<Attributes>& rows, const char* what, const detail::Conflict* conflict);
    QueryClient* client_;
    detail::QueryState state_;
    std::string_view model_;
};

template <class Q> QueryBuilder QueryClient::fromSub(const Q& sub, std::string_view alias) {
    QueryBuilder b(this);
    b.fromSub(sub, alias);
    return b;
}

}  // namespace lucid
