#pragma once
// PostgreSQL values both ways for the libpq driver: bindings as libpq takes them, result cells as lucid reads them.
#include <lucid/result.hpp>

#include "database/statement.hpp"

#include <libpq-fe.h>

#include <string>
#include <vector>

namespace lucid::detail::pg {

// Type OIDs from pg_type.h (server headers are not part of libpq-dev).
enum : Oid { BOOLOID = 16, BYTEAOID = 17, INT8OID = 20, INT2OID = 21, INT4OID = 23, OIDOID = 26,
             FLOAT4OID = 700, FLOAT8OID = 701, NUMERICOID = 1700 };

// A statement's bindings as libpq takes them: text, except blobs (binary bytea).
struct Params {
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    std::vector<Oid> types;
};
Params params(const Statement& statement);  // throws QueryError for what PostgreSQL cannot take

// A cell viewing the result's text; bytea is decoded into `scratch`, which the view then points to.
Cell cell(PGresult* r, int row, int col, Oid oid, std::string& scratch);

}  // namespace lucid::detail::pg
