#pragma once
// ColumnOptions: how define() maps one field to its column (name, key, serialization, conversions).
#include <lucid/value.hpp>

#include <lucid/json_fwd.hpp>

#include <functional>
#include <string>

namespace lucid {

struct ColumnOptions {
    // out of line: every column() call destroys its options, and define() stays small
    ~ColumnOptions();
    bool isPrimary = false;
    std::string columnName;
    std::string serializeAs;
    bool hidden = false;
    bool autoCreate = false;
    bool autoUpdate = false;
    std::function<Value(const Value&)> prepare;
    std::function<Value(const Value&)> consume;
    // Places after the point a read gives (a Decimal of that scale; SQLite's REAL rounded half away from
    // zero); also sum/min/max of the column. -1: keep what the database gives.
    int scale = -1;
    // How the column appears in serialize(), given the field's value; unset: the field's own JSON.
    std::function<nlohmann::json(const Value&)> serialize;
};

}  // namespace lucid
