#pragma once
// lucid::Decimal: an exact decimal number (money), never through a double unless asked to.
#include <lucid/errors.hpp>

#include <compare>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace lucid {

class Decimal {
public:
    Decimal() = default;  // 0
    // "19.99", "-0.5", "+3", ".5", "1.5e3"; anything else ("", "abc", "1.2.3", "NaN") throws lucid::Error.
    explicit Decimal(std::string_view text);
    explicit Decimal(const char* text) : Decimal(std::string_view(text)) {}
    explicit Decimal(const std::string& text) : Decimal(std::string_view(text)) {}
    template <std::integral I>
        requires(!std::same_as<I, bool> && !std::same_as<I, char>)
    Decimal(I i) {  // implicit: `price * 3`, `d == 0`
        if constexpr (std::is_signed_v<I>) assign(static_cast<int64_t>(i) < 0, magnitude(static_cast<int64_t>(i)));
        else assign(false, static_cast<uint64_t>(i));
    }

    // The double rounded half away from zero to `scale` places, from its shortest decimal form (the one
    // that prints and reads back as the same double): fromDouble(2.675, 2) is 2.68, not 2.67. NaN and
    // infinities throw lucid::Error.
    static Decimal fromDouble(double d, int scale);
    // The double's shortest decimal form, with the scale that form has (0.1 -> "0.1").
    static Decimal fromDouble(double d);

    std::string toString() const;  // keeps the scale: Decimal{"20.00"}.toString() == "20.00"
    int scale() const noexcept { return scale_; }
    // This value with `scale` places: padded with zeros, or rounded half away from zero.
    Decimal rescaled(int scale) const;
    double toDouble() const;
    bool isZero() const noexcept { return digits_.empty(); }
    bool isNegative() const noexcept { return negative_; }

    Decimal operator-() const;
    // Exact. + and - keep the larger scale of the two; * the sum of their scales.
    friend Decimal operator+(const Decimal& a, const Decimal& b);
    friend Decimal operator-(const Decimal& a, const Decimal& b);
    friend Decimal operator*(const Decimal& a, const Decimal& b);
    Decimal& operator+=(const Decimal& o) { return *this = *this + o; }
    Decimal& operator-=(const Decimal& o) { return *this = *this - o; }
    Decimal& operator*=(const Decimal& o) { return *this = *this * o; }
    // By value: Decimal{"20.0"} == Decimal{"20.00"}.
    friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
    friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) { return compare(a, b) <=> 0; }

private:
    static uint64_t magnitude(int64_t i) noexcept { return i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i); }
    void assign(bool negative, uint64_t magnitude);
    static int compare(const Decimal& a, const Decimal& b);
    void normalize();

    bool negative_ = false;
    std::string digits_;  // the unscaled magnitude, most significant first, no leading zero; empty for 0
    int scale_ = 0;       // digits after the point
};

}  // namespace lucid
