#include "sql/dialect.hpp"

#include <lucid/errors.hpp>

#include <charconv>
#include <cstdio>

namespace lucid::detail {

void Dialect::quote(std::string& out, std::string_view identifier) const {
    // the drivers take SQL as a C string: a NUL would end the statement inside the identifier
    if (identifier.find('\0') != std::string_view::npos)
        throw Error("E_INVALID_IDENTIFIER", "an identifier cannot hold a NUL byte");
    out += '"';
    for (char c : identifier) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string Dialect::beginTransactionSql(std::optional<IsolationLevel> level) const {
    if (!level) return "begin";
    switch (*level) {
    case IsolationLevel::ReadUncommitted: return "begin isolation level read uncommitted";
    case IsolationLevel::ReadCommitted: return "begin isolation level read committed";
    case IsolationLevel::RepeatableRead: return "begin isolation level repeatable read";
    case IsolationLevel::Serializable: return "begin isolation level serializable";
    }
    return "begin";
}

std::string Dialect::aggregate(std::string_view fn, const std::string& argument, int) const {
    return std::string(fn) + "(" + argument + ")";
}

std::string Dialect::literal(const Value& v) const {
    switch (v.kind()) {
    case Value::Kind::Null: return "null";
    case Value::Kind::Bool: return booleanLiteral(std::get<bool>(v.storage()));
    case Value::Kind::Int: return std::to_string(std::get<int64_t>(v.storage()));
    case Value::Kind::Double: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v.storage()));
        return buf;
    }
    case Value::Kind::Text: {
        const auto& s = std::get<std::string>(v.storage());
        std::string out = "'";
        for (char c : s) {
            if (c == '\0') throw TypeError("a default value cannot contain a NUL byte");
            if (c == '\'') out += '\'';
            out += c;
        }
        return out + "'";
    }
    case Value::Kind::Blob: throw TypeError("a blob cannot be a column default");
    }
    return "null";
}

std::string Dialect::renameColumnSQL(std::string_view table, std::string_view from, std::string_view to) const {
    return "alter table " + quoted(table) + " rename column " + quoted(from) + " to " + quoted(to);
}

std::vector<std::string> Dialect::rebuildTableSQL(QueryClient&, const TableBuilder& changes) const {
    throw Error("E_UNSUPPORTED", std::string(name()) + " alters table \"" + changes.tableName() + "\" in place, without a rebuild");
}

ColumnSpec Dialect::sizedColumn(ColumnKind kind, std::string_view type) {
    ColumnSpec c{.kind = kind};
    std::vector<int> numbers;
    for (auto pos = type.find('('); pos != std::string_view::npos && pos < type.size();) {
        while (pos < type.size() && (type[pos] < '0' || type[pos] > '9') && type[pos] != ')') ++pos;
        int n = 0;
        auto [end, ec] = std::from_chars(type.data() + pos, type.data() + type.size(), n);
        if (ec != std::errc()) break;
        numbers.push_back(n);
        pos = static_cast<std::size_t>(end - type.data());
    }
    if (kind == ColumnKind::Decimal) {
        c.precision = numbers.size() > 0 ? numbers[0] : -1;
        c.scale = numbers.size() > 1 ? numbers[1] : numbers.size() == 1 ? 0 : -1;  // numeric(p) has scale 0
    } else if (!numbers.empty()) {
        c.length = numbers[0];
    }
    return c;
}

}  // namespace lucid::detail
