#pragma once
// lucid's JSON conversions, declared against nlohmann/json_fwd.hpp: headers that only name JSON include this.
#include <lucid/value.hpp>

#include <nlohmann/json_fwd.hpp>

namespace lucid {

template <> struct ValueTraits<nlohmann::json> {
    static nlohmann::json from(const Value& v);
};
Value toValue(const nlohmann::json& j);
nlohmann::json toJson(const Value& v);  // null, bool, number, string; blob as an array of bytes
// Text as a JSON string: bytes that are not UTF-8 (SQLite stores whatever it is given) become U+FFFD, one
// for each maximal invalid sequence, as Node's Buffer.toString() gives them to Lucid; valid text is unchanged.
nlohmann::json jsonText(std::string_view text);

}  // namespace lucid
