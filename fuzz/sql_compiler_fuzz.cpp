// Random clause trees, built from the input through the public query builder, run on a real SQLite
// in-memory database. A tree made only of existing columns and operators SQLite has must compile to
// SQL that SQLite accepts; any other tree may also be refused, but only with a lucid::Error (a
// QueryError for what SQLite refused). Never a crash, never another exception.
#include "check.hpp"

#include <lucid/lucid.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

using lucid::QueryBuilder;
using lucid::Value;
using lucid_fuzz::fail;

namespace {

// t is the queried table, u the joined one (its columns named apart from t's, so none is ambiguous).
lucid::Database& database() {
    static lucid::Database db{"sqlite::memory:"};
    static const bool ready = [] {
        db.rawQuery("create table t (id integer primary key, a integer, b text, c real)");
        db.rawQuery("create table u (uid integer primary key, t_id integer, name text)");
        db.rawQuery("insert into t (a, b, c) values (1, 'x', 1.5), (2, null, null), (null, 'y', -3)");
        db.rawQuery("insert into u (t_id, name) values (1, 'n'), (3, null)");
        return true;
    }();
    (void)ready;
    return db;
}

class TreeBuilder {
public:
    explicit TreeBuilder(FuzzedDataProvider& in) : in_(in) {}

    // True while every name and operator used so far exists on SQLite.
    bool valid = true;
    bool joined = false;
    bool grouped = false, having = false, distinct = false, selected = false;

    void build(QueryBuilder& q) {
        switch (in_.ConsumeIntegralInRange<int>(0, 3)) {
        case 1: q.join("u", "t.id", "u.t_id"), joined = true; break;
        case 2: q.leftJoin("u", "t.id", in_.ConsumeBool() ? "=" : op(), "u.t_id"), joined = true; break;
        default: break;
        }
        const int clauses = in_.ConsumeIntegralInRange<int>(0, 12);
        for (int i = 0; i < clauses && in_.remaining_bytes() > 0; ++i) clause(q, 0);
        // SQLite refuses HAVING in a query that neither groups nor aggregates, as it should
        if (having && !grouped) valid = false;
    }

private:
    std::string column(bool outer = true) {
        static const char* mine[] = {"id", "a", "b", "c", "t.id", "t.a", "t.b", "t.c"};
        static const char* joinedOnes[] = {"uid", "t_id", "name", "u.uid", "u.t_id", "u.name"};
        switch (in_.ConsumeIntegralInRange<int>(0, 9)) {
        case 0: valid = false; return in_.ConsumeRandomLengthString(12);  // anything, quotes and dots included
        case 1: case 2:
            if (joined || !outer) return joinedOnes[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(joinedOnes) - 1)];
            [[fallthrough]];
        default: return mine[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(mine) - 1)];
        }
    }
    std::string op() {
        static const char* sqlite[] = {"=", "!=", "<>", "<", "<=", ">", ">=", "like", "not like", "is", "is not", "LIKE"};
        static const char* others[] = {"ilike", "not ilike", "&&", "@>", "<@", "?", "?|", "?&", "||", "~", "~*", "!~", "!~*"};
        switch (in_.ConsumeIntegralInRange<int>(0, 15)) {
        case 0: valid = false; return in_.ConsumeRandomLengthString(6);  // refused by checkOperator, or one listed
        case 1: valid = false; return others[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(others) - 1)];
        default: return sqlite[in_.ConsumeIntegralInRange<std::size_t>(0, std::size(sqlite) - 1)];
        }
    }
    Value value() {
        switch (in_.ConsumeIntegralInRange<int>(0, 6)) {
        case 0: return Value();
        case 1: return Value(in_.ConsumeBool());
        case 2: return Value(in_.ConsumeIntegral<int64_t>());
        case 3: return Value(in_.ConsumeFloatingPoint<double>());
        case 4: {
            std::string bytes = in_.ConsumeRandomLengthString(16);
            return Value(lucid::Blob(reinterpret_cast<const std::byte*>(bytes.data()),
                                     reinterpret_cast<const std::byte*>(bytes.data()) + bytes.size()));
        }
        default: return Value(in_.ConsumeRandomLengthString(16));
        }
    }
    lucid::Bindings values() {
        lucid::Bindings v;
        // past a few hundred values the builder switches to one JSON binding: reach it sometimes
        const int n = in_.ConsumeBool() ? in_.ConsumeIntegralInRange<int>(0, 4) : in_.ConsumeIntegralInRange<int>(0, 1200);
        for (int i = 0; i < n; ++i) v.push_back(i > 8 ? Value(int64_t(i)) : value());
        return v;
    }

    void clause(QueryBuilder& q, int depth) {
        const bool orJoin = in_.ConsumeBool(), negate = in_.ConsumeBool();
        switch (in_.ConsumeIntegralInRange<int>(0, 19)) {
        case 0: {
            std::string c = column(), o = op();
            Value v = value();
            if (orJoin) negate ? q.orWhereNot(c, o, v) : q.orWhere(c, o, v);
            else negate ? q.whereNot(c, o, v) : q.where(c, o, v);
            break;
        }
        case 1: {
            std::string c = column();
            lucid::Bindings v = values();
            if (orJoin) negate ? q.orWhereNotIn(c, v) : q.orWhereIn(c, v);
            else negate ? q.whereNotIn(c, v) : q.whereIn(c, v);
            break;
        }
        case 2: {
            std::string c = column();
            if (orJoin) negate ? q.orWhereNotNull(c) : q.orWhereNull(c);
            else negate ? q.whereNotNull(c) : q.whereNull(c);
            break;
        }
        case 3: {
            std::string c = column();
            Value lo = value(), hi = value();
            if (orJoin) negate ? q.orWhereNotBetween(c, lo, hi) : q.orWhereBetween(c, lo, hi);
            else negate ? q.whereNotBetween(c, lo, hi) : q.whereBetween(c, lo, hi);
            break;
        }
        case 4: {
            std::string c = column();
            Value p = value();
            if (negate) orJoin ? q.orWhereILike(c, p) : q.whereILike(c, p);
            else orJoin ? q.orWhereLike(c, p) : q.whereLike(c, p);
            break;
        }
        case 5: case 6: {
            if (depth >= 4) break;
            auto inner = [&](QueryBuilder& g) {
                const int n = in_.ConsumeIntegralInRange<int>(0, 4);
                for (int i = 0; i < n && in_.remaining_bytes() > 0; ++i) clause(g, depth + 1);
            };
            if (orJoin) negate ? q.orWhereNot(inner) : q.orWhere(inner);
            else negate ? q.whereNot(inner) : q.where(inner);
            break;
        }
        case 7: {
            if (depth >= 4) break;
            // a correlated subquery on u: its own columns and the outer query's
            auto sub = [&](QueryBuilder& s) {
                s.from("u").whereColumn("u.t_id", "=", "t.id");
                const bool wasJoined = joined;
                joined = true;
                const int n = in_.ConsumeIntegralInRange<int>(0, 3);
                for (int i = 0; i < n && in_.remaining_bytes() > 0; ++i) clause(s, depth + 1);
                joined = wasJoined;
            };
            if (orJoin) negate ? q.orWhereNotExists(sub) : q.orWhereExists(sub);
            else negate ? q.whereNotExists(sub) : q.whereExists(sub);
            break;
        }
        case 8: {
            std::string a = column(), o = op(), b = column();
            if (negate) q.whereNotColumn(a, o, b);
            else orJoin ? q.orWhereColumn(a, o, b) : q.whereColumn(a, o, b);
            break;
        }
        case 9: if (depth == 0) q.select(column()), selected = true; break;
        case 10: if (depth == 0) q.distinct(), distinct = true; break;
        case 11: if (depth == 0) q.groupBy(column()), grouped = true; break;
        case 12: if (depth == 0) { std::string c = column(), o = op(); q.having(c, o, value()); having = true; } break;
        case 13: if (depth == 0) q.orderBy(column(), negate ? lucid::Order::Desc : lucid::Order::Asc); break;
        case 14: if (depth == 0) q.limit(in_.ConsumeIntegral<int64_t>()); break;
        case 15: if (depth == 0) q.offset(in_.ConsumeIntegral<int64_t>()); break;
        case 16: if (depth == 0) q.forUpdate(); break;
        case 17: if (depth == 0) q.clearOrder(); break;
        case 18: if (depth == 0) q.clearLimit(); break;
        default: if (depth == 0) q.clearSelect(), selected = false; break;
        }
    }

    FuzzedDataProvider& in_;
};

// What a query ends with: the reads, the writes (rolled back by the caller) and the SQL text itself.
void finish(QueryBuilder& q, FuzzedDataProvider& in, TreeBuilder& tree) {
    static const char* numeric[] = {"id", "a", "c", "t.a"};
    const std::string col = numeric[in.ConsumeIntegralInRange<std::size_t>(0, std::size(numeric) - 1)];
    const int end = in.ConsumeIntegralInRange<int>(0, 11);
    // an aggregate of a distinct or grouped query reads the columns that query selects
    if ((end == 2 || end == 3) && (tree.distinct || tree.grouped || tree.having)) {
        if (tree.selected) tree.valid = false;
    }
    const bool joined = tree.joined;
    switch (end) {
    case 0: q.first(); break;
    case 1: q.count(); break;
    case 2: q.sum(col), q.avg(col); break;
    case 3: q.min(col), q.max(col); break;
    case 4: {
        const int64_t page = in.ConsumeIntegralInRange<int64_t>(-2, 1000), perPage = in.ConsumeIntegral<int64_t>();
        q.paginate(page, perPage);
        break;
    }
    case 5: {
        auto [sql, bindings] = q.toSQL();
        database().rawQuery(sql, bindings);
        break;
    }
    // the writes of a joined query are refused by design (E_... from lucid), on both databases
    case 6: if (!joined) q.update({{"a", in.ConsumeIntegral<int64_t>()}, {"b", in.ConsumeRandomLengthString(8)}}); break;
    case 7: if (!joined) q.del(); break;
    case 8: if (!joined) q.increment("a", in.ConsumeIntegral<int32_t>()); break;
    default: q.exec(); break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    lucid::Database& db = database();
    lucid::Transaction trx = db.transaction();  // the writes are undone after each input
    TreeBuilder tree(in);
    std::string sql = "(not compiled)";
    try {
        QueryBuilder q = trx.from("t");
        tree.build(q);
        sql = q.toSQL().first;
        finish(q, in, tree);
    } catch (const lucid::QueryError& e) {
        if (tree.valid) fail(std::string("SQLite refused the SQL of a valid tree: ") + e.what() + "\nSQL: " + e.sql());
    } catch (const lucid::Error&) {
    } catch (const std::exception& e) {
        fail(std::string("not a lucid error: ") + e.what() + "\nSQL: " + sql);
    }
    trx.rollback();
    return 0;
}
