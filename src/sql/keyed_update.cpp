// compileKeyedUpdate: many rows' own values in one UPDATE. PostgreSQL: a CASE per column, whose ELSE
// branch names the column, so each untyped placeholder takes the column's type. SQLite: a join with a
// VALUES list, found by key, since SQLite tries a CASE's branches one by one for every row.
#include "sql/compiler.hpp"

#include <lucid/errors.hpp>

namespace lucid::detail {

namespace {
// "k" = ? (and ...), with `is null` for a null key: such a row is still found
void keyMatch(SqlWriter& w, const std::vector<std::string>& keys, const Bindings& key) {
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (i) w.sql() += " and ";
        w.dialect().quote(w.sql(), keys[i]);
        if (key[i].isNull()) {
            w.sql() += " is null";
            continue;
        }
        w.sql() += " = ";
        w.bind(key[i]);
    }
}

void caseUpdate(SqlWriter& w, const std::vector<std::string>& keys, const std::vector<std::string>& columns,
                const std::vector<KeyedRowUpdate>& rows) {
    const Dialect& d = w.dialect();
    auto& s = w.sql();
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c) s += ", ";
        d.quote(s, columns[c]);
        s += " = case";
        for (const KeyedRowUpdate& row : rows) {
            if (!row.changed[c]) continue;
            s += " when ";
            keyMatch(w, keys, row.key);
            s += " then ";
            w.bind(row.values[c]);
        }
        s += " else ";
        d.quote(s, columns[c]);
        s += " end";
    }
    s += " where ";
    bool plainList = keys.size() == 1;
    for (const KeyedRowUpdate& row : rows) plainList = plainList && !row.key[0].isNull();
    if (plainList) {
        d.quote(s, keys[0]);
        s += " in (";
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (r) s += ", ";
            w.bind(rows[r].key[0]);
        }
        s += ")";
        return;
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        s += r ? " or (" : "(";
        keyMatch(w, keys, rows[r].key);
        s += ")";
    }
}

// set c = "lucid_rows"."columnN" from (values (key..., value...), ...) as "lucid_rows" where key is key:
// every row gives every column (its own value where it changes none), `is` matches a null key too
void valuesUpdate(SqlWriter& w, std::string_view table, const std::vector<std::string>& keys, const std::vector<std::string>& columns,
                  const std::vector<KeyedRowUpdate>& rows) {
    const Dialect& d = w.dialect();
    auto& s = w.sql();
    auto rowColumn = [&](std::size_t i) { s += "\"lucid_rows\".\"column" + std::to_string(i + 1) + "\""; };
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c) s += ", ";
        d.quote(s, columns[c]);
        s += " = ";
        rowColumn(keys.size() + c);
    }
    s += " from (values ";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        s += r ? ", (" : "(";
        for (std::size_t k = 0; k < keys.size(); ++k) {
            if (k) s += ", ";
            w.bind(rows[r].key[k]);
        }
        for (const Value& v : rows[r].values) {
            s += ", ";
            w.bind(v);
        }
        s += ")";
    }
    s += ") as \"lucid_rows\" where ";
    for (std::size_t k = 0; k < keys.size(); ++k) {
        if (k) s += " and ";
        d.quote(s, table);
        s += ".";
        d.quote(s, keys[k]);
        s += " is ";
        rowColumn(k);
    }
}
}  // namespace

Statement compileKeyedUpdate(std::string_view table, const std::vector<std::string>& keys, const std::vector<std::string>& columns,
                             const std::vector<KeyedRowUpdate>& rows, const Dialect& d) {
    if (rows.empty() || columns.empty()) throw Error("E_EMPTY_UPDATE", "update() needs at least one column to set");
    SqlWriter w(d);
    w.sql() += "update ";
    d.quote(w.sql(), table);
    w.sql() += " set ";
    if (d.updatesFromValues()) valuesUpdate(w, table, keys, columns, rows);
    else caseUpdate(w, keys, columns, rows);
    return w.take();
}

}  // namespace lucid::detail
