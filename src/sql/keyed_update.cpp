// compileKeyedUpdate: many rows' own values in one UPDATE, through a CASE per column. The ELSE branch
// names the column, so PostgreSQL takes each untyped placeholder as the column's type.
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
}  // namespace

Statement compileKeyedUpdate(std::string_view table, const std::vector<std::string>& keys, const std::vector<std::string>& columns,
                             const std::vector<KeyedRowUpdate>& rows, const Dialect& d) {
    if (rows.empty() || columns.empty()) throw Error("E_EMPTY_UPDATE", "update() needs at least one column to set");
    SqlWriter w(d);
    auto& s = w.sql();
    s += "update ";
    d.quote(s, table);
    s += " set ";
    for (std::size_t c = 0; c < columns.size(); ++c) {
        if (c) s += ", ";
        d.quote(s, columns[c]);
        s += " = case";
        for (const KeyedRowUpdate& row : rows)
            for (const auto& [column, value] : row.set) {
                if (column != c) continue;
                s += " when ";
                keyMatch(w, keys, row.key);
                s += " then ";
                w.bind(value);
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
        return w.take();
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        s += r ? " or (" : "(";
        keyMatch(w, keys, rows[r].key);
        s += ")";
    }
    return w.take();
}

}  // namespace lucid::detail
