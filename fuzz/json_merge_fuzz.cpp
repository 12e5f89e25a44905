// BaseModel::merge/fill from arbitrary JSON (and from the same document as Attributes): the model takes
// the values or throws a lucid::Error (TypeError, E_MISSING_MODEL_ATTRIBUTE). What was merged must
// come back out of serialize() unchanged, and serialize()'s output must merge into a fresh model that
// serializes the same.
#include "check.hpp"

#include <lucid/lucid.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

using lucid_fuzz::fail;

namespace {

struct Every : lucid::BaseModel<Every> {
    int64_t id = 0;
    int8_t tiny = 0;
    int16_t small = 0;
    int32_t count = 0;
    uint32_t unsignedCount = 0;
    uint64_t big = 0;
    bool flag = false;
    double ratio = 0;
    float level = 0;
    std::string name;
    std::optional<std::string> nickname;
    lucid::Blob data;
    lucid::DateTime at{};
    std::optional<lucid::DateTime> seenAt;
    std::optional<int64_t> parentId;
    nlohmann::json meta;

    static void define(lucid::ModelDefinition<Every>& m) {
        m.column(&Every::id, "id", {.isPrimary = true});
        m.column(&Every::tiny, "tiny");
        m.column(&Every::small, "small");
        m.column(&Every::count, "count");
        m.column(&Every::unsignedCount, "unsignedCount");
        m.column(&Every::big, "big");
        m.column(&Every::flag, "flag");
        m.column(&Every::ratio, "ratio");
        m.column(&Every::level, "level");
        m.column(&Every::name, "name");
        m.column(&Every::nickname, "nickname", {.serializeAs = "alias"});
        m.column(&Every::data, "data");
        m.column(&Every::at, "at");
        m.column(&Every::seenAt, "seenAt");
        m.column(&Every::parentId, "parentId");
        m.column(&Every::meta, "meta");
    }
};

// Keys of integer fields: a number merged into one must be serialized as the same number.
bool isIntegerField(const std::string& key) {
    for (const char* k : {"id", "tiny", "small", "count", "unsignedCount", "big", "parentId"})
        if (key == k) return true;
    return false;
}

lucid::Value scalarValue(const nlohmann::json& j) {
    if (j.is_boolean()) return j.get<bool>();
    if (j.is_number_unsigned()) return j.get<uint64_t>() > uint64_t(INT64_MAX) ? lucid::Value(j.get<double>()) : lucid::Value(j.get<uint64_t>());
    if (j.is_number_integer()) return j.get<int64_t>();
    if (j.is_number_float()) return j.get<double>();
    if (j.is_string()) return j.get<std::string>();
    if (j.is_null()) return nullptr;
    return j.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return 0;
    const std::string text = doc.dump();

    Every merged;
    if (lucid_fuzz::allows<lucid::Error>("merge(" + text + ")", [&] { merged.merge(doc); })) {
        nlohmann::json out;
        lucid_fuzz::allows<lucid::Error>("serialize after merge(" + text + ")", [&] { out = merged.serialize(); });
        for (const auto& [key, v] : doc.items())
            if (isIntegerField(key) && v.is_number() && out[key] != v)
                fail("merge(" + text + ") stored " + key + " as " + out[key].dump());
        Every again;
        if (!lucid_fuzz::allows<lucid::Error>("merge(serialize()) of " + out.dump(), [&] { again.merge(out); }))
            fail("serialize() of merge(" + text + ") gives " + out.dump() + ", which merge() refuses");
        if (again.serialize() != out) fail("merge(serialize()) changes " + out.dump() + " into " + again.serialize().dump());
    }
    Every filled;
    filled.name = "before";
    lucid_fuzz::allows<lucid::Error>("fill(" + text + ")", [&] { filled.fill(doc); });

    // the same document as Attributes: the Value conversions of each field
    if (doc.is_object()) {
        lucid::Attributes attributes;
        for (const auto& [key, v] : doc.items()) {
            const lucid::Value value = scalarValue(v);
            attributes.emplace_back(key, value);
        }
        Every fromValues;
        lucid_fuzz::allows<lucid::Error>("merge(Attributes of " + text + ")", [&] { fromValues.merge(attributes); });
        lucid_fuzz::allows<lucid::Error>("dirty() after merge(Attributes of " + text + ")", [&] { fromValues.dirty(); });
    }
    return 0;
}
