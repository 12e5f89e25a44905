// Field <-> JSON for every field type (serialize(), merge/fill with JSON), compiled once here rather
// than in every user translation unit that declares a model.
#include <lucid/detail/field_codec.hpp>
#include <lucid/json.hpp>

#include <limits>

namespace lucid::detail {

namespace {

template <class F> nlohmann::json toJson(const F& f) {
    if constexpr (std::is_same_v<F, DateTime>) return formatDateTime(f);
    else if constexpr (std::is_same_v<F, Decimal>) return f.toString();  // a string, as Lucid gives node-pg's numerics
    else if constexpr (std::is_same_v<F, Blob>) return lucid::toJson(Value(f));
    else if constexpr (std::is_same_v<F, std::string>) return jsonText(f);
    else return f;
}
template <class F> F fromJson(const nlohmann::json& j) {
    if constexpr (std::is_same_v<F, DateTime>) {
        if (!j.is_string()) throw TypeError("expected an ISO-8601 date string, got " + j.dump());
        return ValueTraits<DateTime>::from(Value(j.get<std::string>()));
    } else if constexpr (std::is_same_v<F, Blob>) {
        Blob b;
        if (j.is_string()) {
            for (char c : j.get<std::string>()) b.push_back(static_cast<std::byte>(c));
        } else if (j.is_array()) {
            for (const auto& x : j) {
                if (!x.is_number_integer() || x.get<int64_t>() < 0 || x.get<int64_t>() > 255)
                    throw TypeError("a blob takes text or an array of bytes (0-255), not " + j.dump());
                b.push_back(static_cast<std::byte>(x.get<int64_t>()));
            }
        } else {
            throw TypeError("a blob takes text or an array of bytes (0-255), not " + j.dump());
        }
        return b;
    } else if constexpr (std::is_same_v<F, nlohmann::json>) {
        return j;
    } else if constexpr (std::is_same_v<F, Decimal>) {
        if (j.is_string()) return ValueTraits<Decimal>::from(Value(j.get<std::string>()));
        if (j.is_number_integer()) return j.is_number_unsigned() ? Decimal(j.get<uint64_t>()) : Decimal(j.get<int64_t>());
        if (j.is_number_float()) return Decimal::fromDouble(j.get<double>());
        throw TypeError("cannot use JSON " + j.dump() + " for a Decimal field");
    } else if constexpr (std::is_integral_v<F> && !std::is_same_v<F, bool>) {
        // through Value: a fraction or a number past the field's range is refused, never narrowed
        if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
            throw TypeError("JSON " + j.dump() + " does not fit this integer field");
        if (j.is_number_integer()) return ValueTraits<F>::from(Value(j.get<int64_t>()));
        if (j.is_number_float()) return ValueTraits<F>::from(Value(j.get<double>()));
        throw TypeError("cannot use JSON " + j.dump() + " for an integer field");
    } else {
        try {
            return j.get<F>();
        } catch (const nlohmann::json::exception&) {
            throw TypeError("cannot use JSON " + j.dump() + " for this field");
        }
    }
}

}  // namespace

template <class F> void fieldToJson(const F& f, nlohmann::json& out) { out = toJson(f); }
template <class F> F fieldFromJson(const nlohmann::json& j) { return fromJson<F>(j); }

#define LUCID_FIELD_JSON(F)                                                                        \
    template void fieldToJson<F>(const F&, nlohmann::json&);                                       \
    template F fieldFromJson<F>(const nlohmann::json&);                                            \
    template <> void fieldToJson<std::optional<F>>(const std::optional<F>& f, nlohmann::json& out) { \
        if (f) out = toJson(*f);                                                                   \
        else out = nullptr;                                                                        \
    }                                                                                              \
    template <> std::optional<F> fieldFromJson<std::optional<F>>(const nlohmann::json& j) {       \
        if (j.is_null()) return std::nullopt;                                                      \
        return fromJson<F>(j);                                                                     \
    }
LUCID_FIELD_JSON(bool)
LUCID_FIELD_JSON(signed char)
LUCID_FIELD_JSON(unsigned char)
LUCID_FIELD_JSON(short)
LUCID_FIELD_JSON(unsigned short)
LUCID_FIELD_JSON(int)
LUCID_FIELD_JSON(unsigned)
LUCID_FIELD_JSON(long)
LUCID_FIELD_JSON(unsigned long)
LUCID_FIELD_JSON(long long)
LUCID_FIELD_JSON(unsigned long long)
LUCID_FIELD_JSON(float)
LUCID_FIELD_JSON(double)
LUCID_FIELD_JSON(std::string)
LUCID_FIELD_JSON(Blob)
LUCID_FIELD_JSON(DateTime)
LUCID_FIELD_JSON(Decimal)
LUCID_FIELD_JSON(nlohmann::json)
#undef LUCID_FIELD_JSON

}  // namespace lucid::detail
