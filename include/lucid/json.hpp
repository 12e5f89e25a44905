#pragma once
// nlohmann::json as a field type: stored as JSON text, read back from text (json/jsonb/text columns).
#include <lucid/value.hpp>

#include <nlohmann/json.hpp>

namespace lucid {

template <> struct ValueTraits<nlohmann::json> {
    static nlohmann::json from(const Value& v);
};
Value toValue(const nlohmann::json& j);
nlohmann::json toJson(const Value& v);  // null, bool, number, string; blob as an array of bytes

}  // namespace lucid
