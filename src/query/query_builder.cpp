#include <lucid/query.hpp>
#include <lucid/transaction.hpp>

#include "sql/compiler.hpp"
#include "sql/dialect.hpp"

#include <algorithm>
#include <charconv>

namespace lucid {

QueryBuilder::QueryBuilder(QueryClient* client, std::string table) : client_(client) { state_.table = std::move(table); }

QueryClient& QueryBuilder::client() const {
    if (!client_) throw Error("E_NO_CLIENT", "this query has no database: build it from db.from(...) or a model");
    return *client_;
}

namespace {
detail::Statement prepared(detail::Statement st, std::string_view model) {
    st.model = model;
    return st;
}

// Aggregates of numeric columns come back from PostgreSQL as numeric text; callers expect numbers.
Value numeric(Value v) {
    if (auto p = v.text()) {
        int64_t i;
        auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), i);
        if (ec == std::errc() && end == p->data() + p->size()) return Value(i);
        double d;
        auto [end2, ec2] = std::from_chars(p->data(), p->data() + p->size(), d);
        if (ec2 == std::errc() && end2 == p->data() + p->size()) return Value(d);
    }
    return v;
}

// A query whose rows are not its table's rows (distinct, grouped, a union): aggregated from outside.
bool aggregatedFromOutside(const detail::QueryState& q) {
    return q.distinct || !q.groupBy.empty() || !q.havings.empty() || !q.unions.empty();
}

detail::Statement aggregateStatement(const detail::QueryState& from, const std::string& expression, const detail::Dialect& d) {
    if (aggregatedFromOutside(from)) {
        // aggregate over the rows the grouped query returns, not the rows before grouping
        detail::QueryState inner = from;
        inner.orders.clear();
        inner.limit.reset();
        inner.offset.reset();
        inner.lock = detail::RowLock::None;
        detail::SqlWriter w(d);
        w.sql() += "select " + expression + " from (";
        w.select(inner);
        w.sql() += ") as ";
        d.quote(w.sql(), "lucid_aggregate");
        auto st = w.take();
        st.read = true;
        return st;
    }
    detail::QueryState q = from;
    q.orders.clear();
    q.limit.reset();
    q.offset.reset();
    q.lock = detail::RowLock::None;
    q.select.assign(1, detail::SelectItem{.raw = expression});
    return detail::compileSelect(q, d);
}
}  // namespace

Result QueryBuilder::exec() { return client().execute(prepared(detail::compileSelect(state_, client().dialect()), model_)); }

std::optional<Row> QueryBuilder::first() {
    detail::QueryState q = state_;
    q.limit = 1;
    Result r = client().execute(prepared(detail::compileSelect(q, client().dialect()), model_));
    if (r.empty()) return std::nullopt;
    return r[0];
}

Value QueryBuilder::aggregate(const char* fn, std::string_view column, bool exact) {
    const auto& d = client().dialect();
    std::string expr = std::string(fn) + "(";
    if (column == "*") {
        expr += "*";
    } else {
        // outside the query, its table is out of sight: its column is named as the query selects it
        if (const auto dot = column.rfind('.'); dot != std::string_view::npos && aggregatedFromOutside(state_))
            column = column.substr(dot + 1);
        detail::SqlWriter w(d);
        w.column(column);
        expr += w.sql();
    }
    expr += ")";
    Result r = client().execute(prepared(aggregateStatement(state_, expr, d), model_));
    if (r.empty()) return Value();
    return exact ? r[0].at(0) : numeric(r[0].at(0));
}

int64_t QueryBuilder::count(std::string_view column) { return aggregate("count", column).as<int64_t>(); }
Value QueryBuilder::sum(std::string_view column) { return aggregate("sum", column); }
Value QueryBuilder::avg(std::string_view column) { return aggregate("avg", column); }
Value QueryBuilder::min(std::string_view column) { return aggregate("min", column); }
Value QueryBuilder::max(std::string_view column) { return aggregate("max", column); }

Page<Row> QueryBuilder::paginate(int64_t page, int64_t perPage) {
    const int64_t offset = detail::pageOffset(page, perPage);
    int64_t total = count();
    detail::QueryState q = state_;
    q.limit = perPage;
    q.offset = offset;
    Result r = client().execute(prepared(detail::compileSelect(q, client().dialect()), model_));
    std::vector<Row> rows;
    rows.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) rows.push_back(r[i]);
    return Page<Row>(std::move(rows), total, perPage, page);
}

namespace {
void splitAttributes(const Attributes& values, std::vector<std::string>& columns, Bindings& row) {
    columns.reserve(values.size());
    row.reserve(values.size());
    for (const auto& [k, v] : values) {
        columns.push_back(k);
        row.push_back(v);
    }
}
}  // namespace

int64_t QueryBuilder::insert(const Attributes& values) {
    const auto& d = client().dialect();
    if (!d.hasLastInsertId()) return insertReturning(values, "id").as<int64_t>();
    std::vector<std::string> columns;
    Bindings row;
    splitAttributes(values, columns, row);
    Result r = client().execute(prepared(detail::compileInsert(state_.table, columns, {row}, "", d), model_));
    return r.lastInsertId();
}

Value QueryBuilder::insertReturning(const Attributes& values, std::string_view returning) {
    std::vector<std::string> columns;
    Bindings row;
    splitAttributes(values, columns, row);
    Result r = client().execute(prepared(detail::compileInsert(state_.table, columns, {row}, returning, client().dialect()), model_));
    return r.empty() ? Value() : r[0].at(0);
}

int64_t QueryBuilder::insertMany(const std::vector<Attributes>& rows) { return insertRows(rows, "insertMany", nullptr); }

int64_t QueryBuilder::insertOrIgnore(const std::vector<Attributes>& rows) {
    const detail::Conflict ignore;
    return insertRows(rows, "insertOrIgnore", &ignore);
}

int64_t QueryBuilder::upsert(const std::vector<Attributes>& rows, const std::vector<std::string>& conflictColumns,
                             const std::vector<std::string>& updateColumns) {
    if (conflictColumns.empty())
        throw Error("E_MISSING_CONFLICT_COLUMNS", "upsert needs the columns whose unique constraint decides between insert and update");
    detail::Conflict conflict{.columns = conflictColumns, .update = updateColumns};
    if (conflict.update.empty() && !rows.empty())
        for (const auto& [column, v] : rows[0])
            if (std::find(conflictColumns.begin(), conflictColumns.end(), column) == conflictColumns.end()) conflict.update.push_back(column);
    if (conflict.update.empty()) conflict.update = conflictColumns;  // every column decides: "update" them to themselves
    return insertRows(rows, "upsert", &conflict);
}

// Several rows in as few statements as the bind limit allows; rows affected.
int64_t QueryBuilder::insertRows(const std::vector<Attributes>& rows, const char* what, const detail::Conflict* conflict) {
    if (rows.empty()) return 0;
    std::vector<std::string> columns;
    for (const auto& [k, v] : rows[0]) columns.push_back(k);
    const std::string shape = std::string(what) + " needs the same columns, in the same order, in every row";
    if (columns.empty()) throw Error("E_EMPTY_INSERT", std::string(what) + " needs at least one column per row");
    std::vector<Bindings> all;
    all.reserve(rows.size());
    for (const auto& attrs : rows) {
        if (attrs.size() != columns.size()) throw Error("E_INSERT_SHAPE", shape);
        Bindings b;
        b.reserve(columns.size());
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (attrs[i].first != columns[i]) throw Error("E_INSERT_SHAPE", shape);
            b.push_back(attrs[i].second);
        }
        all.push_back(std::move(b));
    }
    const auto& d = client().dialect();
    const std::size_t perStatement = std::max<std::size_t>(1, d.maxBindings() / columns.size());
    auto run = [&](QueryClient& c) {
        int64_t affected = 0;
        for (std::size_t start = 0; start < all.size(); start += perStatement) {
            std::vector<Bindings> chunk(all.begin() + static_cast<std::ptrdiff_t>(start),
                                        all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), start + perStatement)));
            affected += c.execute(prepared(detail::compileInsert(state_.table, columns, chunk, "", d, conflict), model_)).rowsAffected();
        }
        return affected;
    };
    // several statements: all rows or none
    if (all.size() <= perStatement) return run(client());
    return client().transaction([&](Transaction& trx) { return run(trx); });
}

int64_t QueryBuilder::update(const Attributes& values) {
    return client().execute(prepared(detail::compileUpdate(state_, values, client().dialect()), model_)).rowsAffected();
}
int64_t QueryBuilder::del() {
    return client().execute(prepared(detail::compileDelete(state_, client().dialect()), model_)).rowsAffected();
}
int64_t QueryBuilder::increment(std::string_view column, int64_t by) {
    return client().execute(prepared(detail::compileIncrement(state_, column, by, client().dialect()), model_)).rowsAffected();
}
int64_t QueryBuilder::decrement(std::string_view column, int64_t by) { return increment(column, -by); }

std::pair<std::string, Bindings> QueryBuilder::toSQL() const {
    auto st = detail::compileSelect(state_, client().dialect());
    return {std::move(st.sql), std::move(st.bindings)};
}

}  // namespace lucid
