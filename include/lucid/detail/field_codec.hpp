#pragma once
// Field <-> Value for every supported field type, and the accessor each field type gets: the only per-type
// code of models. Field <-> JSON is compiled once per type in src/orm/model/field_json.cpp.
#include <lucid/detail/model_meta.hpp>

#include <lucid/json_fwd.hpp>

#include <cmath>
#include <type_traits>

namespace lucid::detail {

// A field type the library compiles the JSON conversions of (src/orm/model/field_json.cpp).
template <class F> struct IsFieldType
    : std::bool_constant<std::is_same_v<F, bool> || std::is_same_v<F, signed char> || std::is_same_v<F, unsigned char> ||
                         std::is_same_v<F, short> || std::is_same_v<F, unsigned short> || std::is_same_v<F, int> ||
                         std::is_same_v<F, unsigned> || std::is_same_v<F, long> || std::is_same_v<F, unsigned long> ||
                         std::is_same_v<F, long long> || std::is_same_v<F, unsigned long long> || std::is_same_v<F, float> || std::is_same_v<F, double> ||
                         std::is_same_v<F, std::string> || std::is_same_v<F, Blob> || std::is_same_v<F, DateTime> ||
                         std::is_same_v<F, Decimal> || std::is_same_v<F, nlohmann::json>> {};
template <class F> struct IsFieldType<std::optional<F>> : IsFieldType<F> {};

// A field's JSON (serialize()) and a field from JSON (merge/fill), for every IsFieldType.
template <class F> void fieldToJson(const F& f, nlohmann::json& out);
template <class F> F fieldFromJson(const nlohmann::json& j);

template <class F> struct FieldCodec {
    static_assert(IsFieldType<F>::value && (IsSupportedField<F>::value || std::is_same_v<F, nlohmann::json>),
                  "lucid: this field type has no SQL mapping. Use bool, an integer type, float, double, std::string, "
                  "lucid::Blob, lucid::DateTime, lucid::Decimal, nlohmann::json, or std::optional of one of them, or map it with "
                  "ColumnOptions{.prepare/.consume} on a supported type.");

    static Value toValue(const F& f) {
        if constexpr (std::is_same_v<F, nlohmann::json>) return lucid::toValue(f);
        else return Value(f);
    }
    static F fromValue(const Value& v) { return ValueTraits<F>::from(v); }
    static void checkWritable(const F& f) {
        if constexpr (std::is_floating_point_v<F>) {
            // SQLite would keep NULL, which no double field reads back; PostgreSQL NaN: refused on both alike
            if (std::isnan(f)) throw TypeError("NaN cannot be stored (use std::optional and nullopt for \"no value\")");
        } else if constexpr (std::is_same_v<F, DateTime>) {
            checkStorable(f);
        }
    }
    static bool isUnset(const F& f) {
        if constexpr (std::is_same_v<F, nlohmann::json>) return f.is_null();
        else return f == F{};
    }
    // f := fromValue(c.value()), copying text straight from the driver's buffer (every fetched row comes this way).
    static void read(F& f, const Cell& c) {
        if constexpr (std::is_same_v<F, std::string>) {
            if (c.kind == Value::Kind::Text) {
                // into a fresh field (the common case) constructing is cheaper than assign's general path
                if (f.capacity() < c.bytes.size()) f = std::string(c.bytes);
                else f.assign(c.bytes);
                return;
            }
        } else if constexpr (std::is_same_v<F, bool>) {
            if ((c.kind == Value::Kind::Bool || c.kind == Value::Kind::Int) && (c.integer == 0 || c.integer == 1)) return void(f = c.integer == 1);
        } else if constexpr (std::is_integral_v<F>) {
            if (c.kind == Value::Kind::Int && IntegerTraits<F>::fits(c.integer)) return void(f = static_cast<F>(c.integer));
        } else if constexpr (std::is_same_v<F, double>) {
            if (c.kind == Value::Kind::Double) return void(f = c.real);
        } else if constexpr (std::is_same_v<F, DateTime>) {
            if (c.kind == Value::Kind::Text)
                if (auto t = parseDateTime(c.bytes)) return void(f = *t);
        }
        f = fromValue(c.value());  // no allocation but for text and blobs
    }
    // f == fromValue(c.value()), without building an F for the common kinds (dirty checks run on every save).
    static bool equals(const F& f, const Cell& c) {
        if constexpr (std::is_same_v<F, std::string>) {
            if (c.kind == Value::Kind::Text) return c.bytes == f;
        } else if constexpr (std::is_integral_v<F> && !std::is_same_v<F, bool>) {
            if (c.kind == Value::Kind::Int) {
                if constexpr (std::is_unsigned_v<F>) return c.integer >= 0 && static_cast<uint64_t>(c.integer) == static_cast<uint64_t>(f);
                else return c.integer == static_cast<int64_t>(f);
            }
        }
        try {
            return fromValue(c.value()) == f;
        } catch (const TypeError&) {
            return false;
        }
    }
};

template <class F> struct FieldCodec<std::optional<F>> {
    static Value toValue(const std::optional<F>& f) { return f ? FieldCodec<F>::toValue(*f) : Value(); }
    static std::optional<F> fromValue(const Value& v) {
        if (v.isNull()) return std::nullopt;
        return FieldCodec<F>::fromValue(v);
    }
    static void checkWritable(const std::optional<F>& f) {
        if (f) FieldCodec<F>::checkWritable(*f);
    }
    static bool isUnset(const std::optional<F>& f) { return !f.has_value(); }
    static void read(std::optional<F>& f, const Cell& c) {
        if (c.kind == Value::Kind::Null) return f.reset();
        if (!f) f.emplace();
        FieldCodec<F>::read(*f, c);
    }
    static bool equals(const std::optional<F>& f, const Cell& c) {
        const bool null = c.kind == Value::Kind::Null;
        if (null || !f) return null && !f;
        return FieldCodec<F>::equals(*f, c);
    }
};

template <class F> struct IsDateTimeField : std::is_same<F, DateTime> {};
template <class F> struct IsDateTimeField<std::optional<F>> : std::is_same<F, DateTime> {};

// One accessor class per field type, shared by every model: the field is found at a byte offset
// inside the model object, so the code is generated once per type, not once per model and member.
template <class F> class FieldAt final : public FieldAccess {
public:
    explicit FieldAt(std::size_t offset) : off_(offset) {}
    Value get(const void* m) const override { return FieldCodec<F>::toValue(ref(m)); }
    void set(void* m, const Value& v) const override { ref(m) = FieldCodec<F>::fromValue(v); }
    void read(void* m, const Cell& c) const override { FieldCodec<F>::read(ref(m), c); }
    void copy(void* dst, const void* src) const override { ref(dst) = ref(src); }
    bool isUnset(const void* m) const override { return FieldCodec<F>::isUnset(ref(m)); }
    void toJson(const void* m, nlohmann::json& out) const override { fieldToJson(ref(m), out); }
    void fromJson(void* m, const nlohmann::json& j) const override { ref(m) = fieldFromJson<F>(j); }
    bool isDateTime() const override { return IsDateTimeField<F>::value; }
    void checkWritable(const void* m) const override { FieldCodec<F>::checkWritable(ref(m)); }
    bool equals(const void* m, const Cell& c) const override { return FieldCodec<F>::equals(ref(m), c); }

private:
    F& ref(void* m) const { return *reinterpret_cast<F*>(static_cast<char*>(m) + off_); }
    const F& ref(const void* m) const { return *reinterpret_cast<const F*>(static_cast<const char*>(m) + off_); }
    std::size_t off_;
};

template <class F> std::unique_ptr<FieldAccess> makeField(std::size_t offset) { return std::make_unique<FieldAt<F>>(offset); }

// Where a member lives inside its object, measured on a real instance.
template <class T, class F> std::size_t memberOffset(const T& probe, F T::*p) {
    return static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*p)) - reinterpret_cast<const char*>(&probe));
}

}  // namespace lucid::detail
