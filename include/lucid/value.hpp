#pragma once
// One SQL value, and the conversions between it and every supported field type.
#include <lucid/decimal.hpp>
#include <lucid/errors.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace lucid {

using Blob = std::vector<std::byte>;
using DateTime = std::chrono::sys_time<std::chrono::microseconds>;  // UTC

// ISO-8601 with six fraction digits and "Z": 2024-03-05T12:34:56.123456Z (serialize(), JSON)
std::string formatDateTime(DateTime t);
// How a DateTime is bound: UTC "YYYY-MM-DD HH:MM:SS", then ".ffffff" only when the microseconds are not
// zero. It is what SQLite's CURRENT_TIMESTAMP/datetime(), knex and Lucid write, so text comparisons on
// SQLite order it among their rows; PostgreSQL reads it in the session zone, which lucid sets to UTC.
std::string sqlDateTime(DateTime t);
// Accepts "YYYY-MM-DD", a 'T' or ' ' before the time, 0-6 fraction digits, and Z / +HH / +HH:MM / +HHMM.
std::optional<DateTime> parseDateTime(std::string_view text);
// Throws TypeError for a DateTime outside years 1-9999: written, it could not be read back.
void checkStorable(DateTime t);

template <class T, class = void> struct ValueTraits;  // specialised per supported type below
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};

class Value {
public:
    enum class Kind : unsigned char { Null, Bool, Int, Double, Text, Blob };
    using Storage = std::variant<std::monostate, bool, int64_t, double, std::string, lucid::Blob>;

    Value() = default;
    Value(std::nullptr_t) {}
    Value(std::nullopt_t) {}
    Value(bool b) : v_(b) {}
    template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                            !std::is_same_v<I, char>, int> = 0>
    Value(I i) : v_(static_cast<int64_t>(i)) {
        if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(int64_t)) {
            if (i > static_cast<I>(std::numeric_limits<int64_t>::max()))
                throw TypeError("unsigned value " + std::to_string(i) + " does not fit a 64-bit SQL integer");
        }
    }
    Value(float d) : v_(static_cast<double>(d)) {}
    Value(double d) : v_(d) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(lucid::Blob b) : v_(std::move(b)) {}
    Value(DateTime t) : v_(sqlDateTime(t)) {}
    Value(const Decimal& d) : v_(d.toString()) {}  // as text: exact on every database
    template <class T> Value(const std::optional<T>& o) {
        if (o) *this = Value(*o);
    }

    Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
    bool isNull() const noexcept { return v_.index() == 0; }
    bool isText() const noexcept { return v_.index() == 4; }
    const Storage& storage() const noexcept { return v_; }
    Storage& storage() noexcept { return v_; }

    // Conversion to a field type; throws lucid::TypeError when the value cannot be held.
    template <class T> T as() const { return ValueTraits<T>::from(*this); }

    // Typed peeks that never convert: nullptr when the kind differs.
    const std::string* text() const noexcept { return std::get_if<std::string>(&v_); }
    const int64_t* integer() const noexcept { return std::get_if<int64_t>(&v_); }

    std::string kindName() const;
    std::string toDebugString() const;  // for error messages: 'text', 42, null, <blob 3 bytes>

    friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }
    // Equality across int/double/bool, as SQL keys compare (1 == 1.0 == true).
    bool looselyEquals(const Value& other) const;
    std::size_t hash() const noexcept;  // consistent with looselyEquals for integral keys

private:
    Storage v_;
};

// A number (integer, double or decimal text) as decimal text with `scale` places, rounded half away from
// zero; null and other values as they are. How a column with ColumnOptions::scale is read.
Value roundedToScale(const Value& v, int scale);

using Bindings = std::vector<Value>;
using Attributes = std::vector<std::pair<std::string, Value>>;  // property name -> value, in order

[[noreturn]] void throwConversion(const Value& v, const char* target);
std::string bindingsToString(const Bindings& b);

// d as an int64_t when it is one exactly (NaN, fractions and values past int64_t's range are not).
inline bool exactInteger(double d, int64_t& out) noexcept {
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return false;
    out = static_cast<int64_t>(d);
    return static_cast<double>(out) == d;
}

template <class I> struct IntegerTraits {
    static constexpr bool fits(int64_t x) noexcept {
        if constexpr (std::is_unsigned_v<I>) return x >= 0 && (sizeof(I) >= sizeof(int64_t) || static_cast<uint64_t>(x) <= std::numeric_limits<I>::max());
        else if constexpr (sizeof(I) < sizeof(int64_t)) return x >= std::numeric_limits<I>::min() && x <= std::numeric_limits<I>::max();
        else return true;
    }
    static I from(const Value& v) {
        int64_t x;
        if (auto p = v.integer()) x = *p;
        else if (v.kind() == Value::Kind::Bool) x = std::get<bool>(v.storage()) ? 1 : 0;
        else if (v.kind() == Value::Kind::Double) {
            if (!exactInteger(std::get<double>(v.storage()), x)) throwConversion(v, "an integer");
        } else throwConversion(v, "an integer");
        if constexpr (std::is_unsigned_v<I>) {
            if (x < 0 || (sizeof(I) < sizeof(int64_t) && static_cast<uint64_t>(x) > std::numeric_limits<I>::max()))
                throwConversion(v, "an integer in range");
        } else if constexpr (sizeof(I) < sizeof(int64_t)) {
            if (x < std::numeric_limits<I>::min() || x > std::numeric_limits<I>::max())
                throwConversion(v, "an integer in range");
        }
        return static_cast<I>(x);
    }
};
template <class I>
struct ValueTraits<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>> : IntegerTraits<I> {};

template <> struct ValueTraits<bool> {
    static bool from(const Value& v);
};
template <> struct ValueTraits<double> {
    static double from(const Value& v);
};
template <> struct ValueTraits<float> {
    static float from(const Value& v) { return static_cast<float>(ValueTraits<double>::from(v)); }
};
template <> struct ValueTraits<std::string> {
    static std::string from(const Value& v);
};
template <> struct ValueTraits<Blob> {
    static Blob from(const Value& v);
};
template <> struct ValueTraits<DateTime> {
    static DateTime from(const Value& v);
};
template <> struct ValueTraits<Decimal> {
    static Decimal from(const Value& v);  // text exactly; integers; a double from its shortest form
};
template <> struct ValueTraits<Value> {
    static Value from(const Value& v) { return v; }
};
template <class T> struct ValueTraits<std::optional<T>> {
    static std::optional<T> from(const Value& v) {
        if (v.isNull()) return std::nullopt;
        return ValueTraits<T>::from(v);
    }
};

// True when T is a field type the ORM can map (checked by static_assert in the model layer).
template <class T, class = void> struct IsSupportedField : std::false_type {};
template <class T>
struct IsSupportedField<T, std::void_t<decltype(ValueTraits<T>::from(std::declval<const Value&>()))>>
    : std::true_type {};

}  // namespace lucid
