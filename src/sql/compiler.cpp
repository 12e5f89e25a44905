#include "sql/compiler.hpp"

#include <lucid/errors.hpp>

#include <algorithm>
#include <cctype>

namespace lucid::detail {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

void SqlWriter::bind(Value v) {
    st_.bindings.push_back(std::move(v));
    d_.placeholder(st_.sql, st_.bindings.size());
}

void SqlWriter::column(std::string_view ref) {
    // "expr as alias"
    for (std::size_t i = 0; i + 4 <= ref.size(); ++i) {
        if (ref[i] == ' ' && iequals(ref.substr(i, 4), " as ")) {
            column(ref.substr(0, i));
            st_.sql += " as ";
            d_.quote(st_.sql, ref.substr(i + 4));
            return;
        }
    }
    if (ref == "*") {
        st_.sql += '*';
        st_.columns = Statement::Columns::FromTable;
        return;
    }
    auto dot = ref.find('.');
    if (dot == std::string_view::npos) {
        d_.quote(st_.sql, ref);
        return;
    }
    d_.quote(st_.sql, ref.substr(0, dot));
    st_.sql += '.';
    if (ref.substr(dot + 1) == "*") {
        st_.sql += '*';
        st_.columns = Statement::Columns::FromTable;
    } else {
        d_.quote(st_.sql, ref.substr(dot + 1));
    }
}

void SqlWriter::raw(std::string_view sql, const Bindings& bindings) {
    markUserSql(st_, sql, false);
    std::size_t next = 0;
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (quote) {
            st_.sql += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            st_.sql += c;
        } else if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == '?') {
            st_.sql += '?';
            ++i;
        } else if (c == '?') {
            if (next >= bindings.size())
                throw Error("E_MISSING_BINDING", "raw SQL has more '?' placeholders than the " +
                                                     std::to_string(bindings.size()) + " bindings given: " + std::string(sql));
            bind(bindings[next++]);
        } else {
            st_.sql += c;
        }
    }
    if (next != bindings.size())
        throw Error("E_MISSING_BINDING", "raw SQL has " + std::to_string(next) + " '?' placeholders but " +
                                             std::to_string(bindings.size()) + " bindings were given: " + std::string(sql));
}

void SqlWriter::where(const WhereNode& n) {
    auto& s = st_.sql;
    switch (n.kind) {
    case WhereKind::Basic:
        if (n.value.isNull() && (n.op == "=" || n.op == "!=" || n.op == "<>")) {
            if (n.negate) s += "not ";
            column(n.column);
            s += n.op == "=" ? " is null" : " is not null";
            return;
        }
        if (n.negate) s += "not ";
        column(n.column);
        s += ' ';
        s += n.op;
        s += ' ';
        bind(n.value);
        return;
    case WhereKind::In:
        if (n.sub) {
            column(n.column);
            s += n.negate ? " not in (" : " in (";
            select(*n.sub);
            s += ')';
            return;
        }
        if (n.values.empty()) {
            s += n.negate ? "1 = 1" : "1 = 0";  // nothing is in an empty set
            return;
        }
        if (n.values.size() > d_.inlineListLimit()) {
            if (std::optional<Value> list = d_.encodeList(n.values)) {
                std::string col;
                std::swap(col, s);
                column(n.column);
                std::swap(col, s);
                st_.bindings.push_back(std::move(*list));
                std::string ph;
                d_.placeholder(ph, st_.bindings.size());
                d_.listMembership(s, col, n.negate, ph);
                st_.preparable = false;  // a kept plan cannot know how long the list is
                return;
            }
        }
        column(n.column);
        s += n.negate ? " not in (" : " in (";
        for (std::size_t i = 0; i < n.values.size(); ++i) {
            if (i) s += ", ";
            bind(n.values[i]);
        }
        s += ')';
        return;
    case WhereKind::Null:
        column(n.column);
        s += n.negate ? " is not null" : " is null";
        return;
    case WhereKind::Between:
        column(n.column);
        s += n.negate ? " not between " : " between ";
        bind(n.value);
        s += " and ";
        bind(n.value2);
        return;
    case WhereKind::Like:
        column(n.column);
        s += ' ';
        s += n.op == "ilike" ? d_.caseInsensitiveLike() : "like";
        s += ' ';
        bind(n.value);
        return;
    case WhereKind::Exists:
        s += n.negate ? "not exists (" : "exists (";
        select(*n.sub);
        s += ')';
        return;
    case WhereKind::Column:
        if (n.negate) s += "not ";
        column(n.column);
        s += ' ' + n.op + ' ';
        column(n.column2);
        return;
    case WhereKind::Raw:
        s += '(';
        raw(n.raw, n.values);
        s += ')';
        return;
    case WhereKind::Group:
        if (n.group.empty()) {
            s += n.negate ? "1 = 0" : "1 = 1";
            return;
        }
        s += n.negate ? "not (" : "(";
        wheres(n.group);
        s += ')';
        return;
    case WhereKind::SubCompare:
        s += '(';
        select(*n.sub);
        s += ") " + n.op + ' ';
        bind(n.value);
        return;
    }
}

void SqlWriter::wheres(const std::vector<WhereNode>& nodes) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (i) st_.sql += nodes[i].orJoin ? " or " : " and ";
        where(nodes[i]);
    }
}

void SqlWriter::whereClause(const QueryState& q) {
    if (q.scope.empty() && q.wheres.empty()) return;
    auto& s = st_.sql;
    s += " where ";
    wheres(q.scope);
    if (q.wheres.empty()) return;
    if (q.scope.empty()) return wheres(q.wheres);
    // one node cannot escape the scope; several are bracketed, since any of them may be an OR
    const bool bracket = q.wheres.size() > 1;
    s += bracket ? " and (" : " and ";
    wheres(q.wheres);
    if (bracket) s += ')';
}

void SqlWriter::select(const QueryState& q) {
    auto& s = st_.sql;
    if (!q.ctes.empty()) {
        s += q.recursive ? "with recursive " : "with ";
        for (std::size_t i = 0; i < q.ctes.size(); ++i) {
            if (i) s += ", ";
            d_.quote(s, q.ctes[i].name);
            s += " as (";
            select(*q.ctes[i].query);
            s += ')';
        }
        s += ' ';
    }
    selectCore(q);
    for (const auto& u : q.unions) {
        const QueryState& m = *u.query;
        // SQLite takes no brackets around a compound's members, so a member cannot order or limit itself
        if (!m.orders.empty() || m.limit || m.offset || !m.unions.empty() || !m.ctes.empty() || m.lock != RowLock::None)
            throw Error("E_UNSUPPORTED", "a query joined by union cannot have its own order by, limit, offset, union, with or lock: "
                                         "order and limit the whole union on the first query");
        s += u.all ? " union all " : " union ";
        selectCore(m);
    }
    if (!q.orders.empty()) {
        s += " order by ";
        for (std::size_t i = 0; i < q.orders.size(); ++i) {
            if (i) s += ", ";
            if (!q.orders[i].raw.empty()) {
                markUserSql(st_, q.orders[i].raw, false);
                s += q.orders[i].raw;
                continue;
            }
            column(q.orders[i].column);
            s += q.orders[i].order == Order::Desc ? " desc" : " asc";
        }
    }
    if (q.limit) {
        s += " limit ";
        bind(*q.limit);
    } else if (q.offset && d_.offsetNeedsLimit()) {
        s += " limit -1";
    }
    if (q.offset) {
        s += " offset ";
        bind(*q.offset);
    }
    if (q.lock != RowLock::None) s += d_.lockClause(q.lock, q.lockWait);
}

// select ... from ... where ... group by ... having ...: what a member of a union holds
void SqlWriter::selectCore(const QueryState& q) {
    auto& s = st_.sql;
    s += q.distinct ? "select distinct " : "select ";
    if (q.select.empty()) {
        s += '*';
        st_.columns = Statement::Columns::FromTable;
    } else {
        for (std::size_t i = 0; i < q.select.size(); ++i) {
            if (i) s += ", ";
            const SelectItem& item = q.select[i];
            if (item.sub) {
                s += '(';
                select(*item.sub);
                s += ')';
            } else if (!item.raw.empty()) {
                raw(item.raw, item.bindings);
            } else if (!item.aggregate.empty()) {
                const std::size_t at = s.size();
                column(item.column);
                const std::string argument = s.substr(at);
                s.resize(at);
                s += d_.aggregate(item.aggregate, argument, item.scale);
            } else {
                column(item.column);
            }
            if (!item.alias.empty()) {
                s += " as ";
                d_.quote(s, item.alias);
            }
        }
    }
    if (q.fromSub) {
        s += " from (";
        select(*q.fromSub);
        s += ") as ";
        d_.quote(s, q.alias);
    } else if (!q.table.empty()) {
        s += " from ";
        d_.quote(s, q.table);
        if (!q.alias.empty()) {
            s += " as ";
            d_.quote(s, q.alias);
        }
    }
    for (const auto& j : q.joins) {
        s += ' ' + j.type + ' ';
        column(j.table);
        s += " on ";
        column(j.first);
        s += ' ' + j.op + ' ';
        column(j.second);
    }
    whereClause(q);
    if (!q.groupBy.empty()) {
        s += " group by ";
        for (std::size_t i = 0; i < q.groupBy.size(); ++i) {
            if (i) s += ", ";
            column(q.groupBy[i]);
        }
    }
    if (!q.havings.empty()) {
        s += " having ";
        wheres(q.havings);
    }
}

Statement compileSelect(const QueryState& q, const Dialect& d) {
    if (q.table.empty() && !q.fromSub && q.select.empty())
        throw Error("E_MISSING_TABLE", "a query needs a table: call from(\"table\") first");
    SqlWriter w(d);
    w.select(q);
    Statement st = w.take();
    st.read = q.lock == RowLock::None;
    st.preparable = st.preparable && q.ctes.empty();  // one opening with WITH is planned per call, as it always was
    st.timeoutMs = q.timeoutMs;
    return st;
}

Statement compileInsert(std::string_view table, const std::vector<std::string>& columns, const std::vector<Bindings>& rows,
                        std::string_view returning, const Dialect& d, const Conflict* conflict) {
    SqlWriter w(d);
    auto& s = w.sql();
    s += "insert into ";
    d.quote(s, table);
    if (columns.empty()) {
        s += " default values";
    } else {
        s += " (";
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i) s += ", ";
            d.quote(s, columns[i]);
        }
        s += ") values ";
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (r) s += ", ";
            s += '(';
            for (std::size_t i = 0; i < rows[r].size(); ++i) {
                if (i) s += ", ";
                w.bind(rows[r][i]);
            }
            s += ')';
        }
    }
    if (conflict) {  // the same words on PostgreSQL and SQLite (3.24+)
        s += " on conflict";
        if (!conflict->columns.empty()) {
            s += " (";
            for (std::size_t i = 0; i < conflict->columns.size(); ++i) {
                if (i) s += ", ";
                d.quote(s, conflict->columns[i]);
            }
            s += ')';
        }
        if (conflict->update.empty()) {
            s += " do nothing";
        } else {
            s += " do update set ";
            for (std::size_t i = 0; i < conflict->update.size(); ++i) {
                if (i) s += ", ";
                d.quote(s, conflict->update[i]);
                s += " = excluded.";
                d.quote(s, conflict->update[i]);
            }
        }
    }
    if (!returning.empty()) {
        s += " returning ";
        w.column(returning);
    }
    return w.take();
}

namespace {
void whereOnly(SqlWriter& w, const QueryState& q) {
    if (!q.joins.empty()) throw Error("E_UNSUPPORTED", "update and delete do not support joins; use whereExists or whereIn");
    w.whereClause(q);
}
}  // namespace

Statement compileUpdate(const QueryState& q, const Attributes& values, const Dialect& d) {
    if (values.empty()) throw Error("E_EMPTY_UPDATE", "update() needs at least one column to set");
    SqlWriter w(d);
    auto& s = w.sql();
    s += "update ";
    d.quote(s, q.table);
    s += " set ";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) s += ", ";
        d.quote(s, values[i].first);
        s += " = ";
        w.bind(values[i].second);
    }
    whereOnly(w, q);
    Statement st = w.take();
    st.timeoutMs = q.timeoutMs;
    return st;
}

Statement compileIncrement(const QueryState& q, std::string_view column, int64_t by, const Dialect& d) {
    SqlWriter w(d);
    auto& s = w.sql();
    s += "update ";
    d.quote(s, q.table);
    s += " set ";
    d.quote(s, column);
    s += " = ";
    d.quote(s, column);
    s += " + ";
    w.bind(by);
    whereOnly(w, q);
    Statement st = w.take();
    st.timeoutMs = q.timeoutMs;
    return st;
}

Statement compileDelete(const QueryState& q, const Dialect& d) {
    SqlWriter w(d);
    w.sql() += "delete from ";
    d.quote(w.sql(), q.table);
    whereOnly(w, q);
    Statement st = w.take();
    st.timeoutMs = q.timeoutMs;
    return st;
}

}  // namespace lucid::detail
