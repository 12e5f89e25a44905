// PostgreSQL values both ways: bindings into libpq's text (bytea binary) parameters, result text into cells.
#include "drivers/postgres/postgres_values.hpp"

#include <lucid/errors.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace lucid::detail::pg {
namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Params params(const Statement& statement) {
    const std::string& sql = statement.text();
    const Bindings& bindings = statement.bindings;
    const std::size_t n = bindings.size();
    if (n > 65535)
        throw QueryError("PostgreSQL accepts at most 65535 bindings, got " + std::to_string(n), sql, "[...]");
    Params p{std::vector<std::string>(n), std::vector<const char*>(n), std::vector<int>(n), std::vector<int>(n), std::vector<Oid>(n)};
    auto& [text, values, lengths, formats, types] = p;
    for (std::size_t i = 0; i < n; ++i) {
        const Value& v = bindings[i];
        switch (v.kind()) {
        case Value::Kind::Null: values[i] = nullptr; break;
        case Value::Kind::Bool: values[i] = std::get<bool>(v.storage()) ? "t" : "f"; break;
        case Value::Kind::Int: text[i] = std::to_string(std::get<int64_t>(v.storage())); values[i] = text[i].c_str(); break;
        case Value::Kind::Double: {
            double d = std::get<double>(v.storage());
            if (std::isnan(d)) text[i] = "NaN";
            else if (std::isinf(d)) text[i] = d > 0 ? "Infinity" : "-Infinity";
            else text[i] = v.toDebugString();
            values[i] = text[i].c_str();
            break;
        }
        case Value::Kind::Text: {
            const auto& s = std::get<std::string>(v.storage());
            if (std::memchr(s.data(), '\0', s.size()))
                throw QueryError("PostgreSQL text cannot hold a NUL byte (binding " + std::to_string(i + 1) +
                                     "); store such data in a Blob (bytea) column",
                                 sql, bindingsToString(bindings));
            values[i] = s.c_str();
            break;
        }
        case Value::Kind::Blob: {
            const auto& b = std::get<Blob>(v.storage());
            values[i] = b.empty() ? "" : reinterpret_cast<const char*>(b.data());
            lengths[i] = static_cast<int>(b.size());
            formats[i] = 1;
            types[i] = BYTEAOID;
            break;
        }
        }
    }
    return p;
}

Cell cell(PGresult* r, int row, int col, Oid oid, std::string& scratch) {
    Cell c;
    const int len = PQgetlength(r, row, col);
    if (len == 0 && PQgetisnull(r, row, col)) return c;  // only an empty cell can be NULL
    const char* p = PQgetvalue(r, row, col);
    switch (oid) {
    case BOOLOID:
        c.kind = Value::Kind::Bool;
        c.integer = p[0] == 't';
        break;
    case INT2OID:
    case INT4OID:
    case INT8OID:
    case OIDOID:
        c.kind = Value::Kind::Int;
        std::from_chars(p, p + len, c.integer);
        break;
    case FLOAT4OID:
    case FLOAT8OID:
        c.kind = Value::Kind::Double;
        c.real = std::strtod(p, nullptr);
        break;
    case NUMERICOID:
        // an integral one (sum of bigints, decimal(p,0)) is an integer, as SQLite gives it; others stay exact text
        c.kind = Value::Kind::Text;
        c.bytes = std::string_view(p, static_cast<std::size_t>(len));
        if (auto [end, ec] = std::from_chars(p, p + len, c.integer); ec == std::errc() && end == p + len) c.kind = Value::Kind::Int;
        break;
    case BYTEAOID: {
        // text output of bytea is hex: \x0a1b...
        scratch.clear();
        if (len >= 2 && p[0] == '\\' && p[1] == 'x') {
            scratch.reserve(static_cast<std::size_t>(len - 2) / 2);
            for (int i = 2; i + 1 < len; i += 2) scratch.push_back(static_cast<char>(hexValue(p[i]) * 16 + hexValue(p[i + 1])));
        } else {
            std::size_t out = 0;
            unsigned char* u = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &out);
            scratch.assign(reinterpret_cast<const char*>(u), out);
            PQfreemem(u);
        }
        c.kind = Value::Kind::Blob;
        c.bytes = scratch;
        break;
    }
    default:  // text, numeric, dates, json, uuid
        c.kind = Value::Kind::Text;
        c.bytes = std::string_view(p, static_cast<std::size_t>(len));
    }
    return c;
}

}  // namespace lucid::detail::pg
