#pragma once
// Field <-> Value and field <-> JSON for every supported field type; the only per-type code of models.
#include <lucid/json.hpp>
#include <lucid/model_meta.hpp>

#include <type_traits>

namespace lucid::detail {

template <class F> struct FieldCodec {
    static_assert(IsSupportedField<F>::value || std::is_same_v<F, nlohmann::json>,
                  "lucid: this field type has no SQL mapping. Use bool, an integer type, float, double, std::string, "
                  "lucid::Blob, lucid::DateTime, nlohmann::json, or std::optional of one of them, or map it with "
                  "ColumnOptions{.prepare/.consume} on a supported type.");

    static Value toValue(const F& f) {
        if constexpr (std::is_same_v<F, nlohmann::json>) return lucid::toValue(f);
        else return Value(f);
    }
    static F fromValue(const Value& v) { return ValueTraits<F>::from(v); }
    static nlohmann::json toJson(const F& f) {
        if constexpr (std::is_same_v<F, DateTime>) return formatDateTime(f);
        else if constexpr (std::is_same_v<F, Blob>) return lucid::toJson(Value(f));
        else return f;
    }
    static F fromJson(const nlohmann::json& j) {
        if constexpr (std::is_same_v<F, DateTime>) {
            if (!j.is_string()) throw TypeError("expected an ISO-8601 date string, got " + j.dump());
            return ValueTraits<DateTime>::from(Value(j.get<std::string>()));
        } else if constexpr (std::is_same_v<F, Blob>) {
            Blob b;
            if (j.is_string()) {
                for (char c : j.get<std::string>()) b.push_back(static_cast<std::byte>(c));
            } else {
                for (const auto& x : j) b.push_back(static_cast<std::byte>(x.get<int>()));
            }
            return b;
        } else if constexpr (std::is_same_v<F, nlohmann::json>) {
            return j;
        } else {
            try {
                return j.get<F>();
            } catch (const nlohmann::json::exception&) {
                throw TypeError("cannot use JSON " + j.dump() + " for this field");
            }
        }
    }
    static bool isUnset(const F& f) {
        if constexpr (std::is_same_v<F, nlohmann::json>) return f.is_null();
        else return f == F{};
    }
};

template <class F> struct FieldCodec<std::optional<F>> {
    static Value toValue(const std::optional<F>& f) { return f ? FieldCodec<F>::toValue(*f) : Value(); }
    static std::optional<F> fromValue(const Value& v) {
        if (v.isNull()) return std::nullopt;
        return FieldCodec<F>::fromValue(v);
    }
    static nlohmann::json toJson(const std::optional<F>& f) { return f ? FieldCodec<F>::toJson(*f) : nlohmann::json(nullptr); }
    static std::optional<F> fromJson(const nlohmann::json& j) {
        if (j.is_null()) return std::nullopt;
        return FieldCodec<F>::fromJson(j);
    }
    static bool isUnset(const std::optional<F>& f) { return !f.has_value(); }
};

template <class F> struct IsDateTimeField : std::is_same<F, DateTime> {};
template <class F> struct IsDateTimeField<std::optional<F>> : std::is_same<F, DateTime> {};

template <class T, class F> class TypedField final : public FieldAccess {
public:
    explicit TypedField(F T::*p) : p_(p) {}
    Value get(const void* m) const override { return FieldCodec<F>::toValue(static_cast<const T*>(m)->*p_); }
    void set(void* m, const Value& v) const override { static_cast<T*>(m)->*p_ = FieldCodec<F>::fromValue(v); }
    void copy(void* dst, const void* src) const override { static_cast<T*>(dst)->*p_ = static_cast<const T*>(src)->*p_; }
    bool isUnset(const void* m) const override { return FieldCodec<F>::isUnset(static_cast<const T*>(m)->*p_); }
    nlohmann::json toJson(const void* m) const override { return FieldCodec<F>::toJson(static_cast<const T*>(m)->*p_); }
    void fromJson(void* m, const nlohmann::json& j) const override { static_cast<T*>(m)->*p_ = FieldCodec<F>::fromJson(j); }
    bool isDateTime() const override { return IsDateTimeField<F>::value; }
    bool equals(const void* m, const Value& v) const override {
        try {
            return FieldCodec<F>::fromValue(v) == static_cast<const T*>(m)->*p_;
        } catch (const TypeError&) {
            return false;
        }
    }

private:
    F T::*p_;
};

}  // namespace lucid::detail
