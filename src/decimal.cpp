#include <lucid/decimal.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace lucid {

namespace {

[[noreturn]] void invalid(std::string_view text, const char* why) {
    throw Error("E_INVALID_DECIMAL", "\"" + std::string(text.substr(0, 100)) + "\" is not a decimal number: " + why);
}

// Magnitudes are strings of digits, most significant first, without leading zeros.
int compareMagnitudes(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    const int c = a.compare(b);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string addMagnitudes(const std::string& a, const std::string& b) {
    std::string out;
    out.reserve(std::max(a.size(), b.size()) + 1);
    int carry = 0;
    for (std::size_t i = 0; i < a.size() || i < b.size() || carry; ++i) {
        int s = carry;
        if (i < a.size()) s += a[a.size() - 1 - i] - '0';
        if (i < b.size()) s += b[b.size() - 1 - i] - '0';
        out.push_back(static_cast<char>('0' + s % 10));
        carry = s / 10;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

// a - b, with a >= b
std::string subtractMagnitudes(const std::string& a, const std::string& b) {
    std::string out;
    out.reserve(a.size());
    int borrow = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        int d = a[a.size() - 1 - i] - '0' - borrow;
        if (i < b.size()) d -= b[b.size() - 1 - i] - '0';
        borrow = d < 0;
        out.push_back(static_cast<char>('0' + (d + 10) % 10));
    }
    while (out.size() > 0 && out.back() == '0') out.pop_back();
    std::reverse(out.begin(), out.end());
    return out;
}

std::string multiplyMagnitudes(const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return {};
    std::vector<int> acc(a.size() + b.size(), 0);
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;) {
            const std::size_t k = i + j + 1;
            const int s = acc[k] + (a[i] - '0') * (b[j] - '0');
            acc[k] = s % 10;
            acc[k - 1] += s / 10;
        }
    std::string out;
    for (int d : acc)
        if (!out.empty() || d) out.push_back(static_cast<char>('0' + d));
    return out;
}

// Magnitudes of a and b over a common scale (the larger): zeros appended to the other.
std::pair<std::string, std::string> aligned(const std::string& a, int sa, const std::string& b, int sb) {
    std::string x = a, y = b;
    if (!x.empty() && sa < sb) x.append(static_cast<std::size_t>(sb - sa), '0');
    if (!y.empty() && sb < sa) y.append(static_cast<std::size_t>(sa - sb), '0');
    return {std::move(x), std::move(y)};
}

constexpr int kMaxScale = 16383;  // PostgreSQL numeric's limit of fraction digits

}  // namespace

Decimal::Decimal(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_ = text[i++] == '-';
    bool point = false, any = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            any = true;
            if (!digits_.empty() || c != '0') digits_.push_back(c);
            if (point) ++scale_;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (!any) invalid(text, "no digits");
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        int exponent = 0;
        const char* first = text.data() + i + 1;
        if (first < text.data() + text.size() && *first == '+') ++first;
        auto [end, ec] = std::from_chars(first, text.data() + text.size(), exponent);
        if (ec != std::errc() || end == first || std::abs(exponent) > kMaxScale) invalid(text, "bad exponent");
        i = static_cast<std::size_t>(end - text.data());
        scale_ -= exponent;
        if (scale_ < 0) {
            if (!digits_.empty()) digits_.append(static_cast<std::size_t>(-scale_), '0');
            scale_ = 0;
        }
    }
    if (i != text.size()) invalid(text, "unexpected characters");
    if (scale_ > kMaxScale) invalid(text, "too many fraction digits");
    normalize();
}

void Decimal::assign(bool negative, uint64_t magnitude) {
    negative_ = negative;
    digits_ = magnitude ? std::to_string(magnitude) : std::string();
    scale_ = 0;
}

void Decimal::normalize() {
    if (digits_.empty()) negative_ = false;  // no negative zero
}

Decimal Decimal::fromDouble(double d) {
    if (!std::isfinite(d)) throw Error("E_INVALID_DECIMAL", "a decimal cannot hold " + std::string(std::isnan(d) ? "NaN" : "an infinity"));
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest form that reads back as d
    return Decimal(std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

Decimal Decimal::fromDouble(double d, int scale) { return fromDouble(d).rescaled(scale); }

Decimal Decimal::rescaled(int scale) const {
    if (scale < 0 || scale > kMaxScale) throw Error("E_INVALID_DECIMAL", "a decimal scale must be 0-16383, got " + std::to_string(scale));
    Decimal out = *this;
    out.scale_ = scale;
    if (scale >= scale_) {
        if (!out.digits_.empty()) out.digits_.append(static_cast<std::size_t>(scale - scale_), '0');
        return out;
    }
    const std::size_t drop = static_cast<std::size_t>(scale_ - scale);
    if (drop > out.digits_.size()) {  // every digit goes: all of them are below the first kept place
        out.digits_.clear();
    } else {
        const bool roundUp = drop <= out.digits_.size() && out.digits_[out.digits_.size() - drop] >= '5';
        out.digits_.resize(out.digits_.size() - drop);
        while (!out.digits_.empty() && out.digits_.front() == '0') out.digits_.erase(0, 1);
        if (roundUp) out.digits_ = addMagnitudes(out.digits_, "1");  // on the magnitude: half away from zero
    }
    out.normalize();
    return out;
}

std::string Decimal::toString() const {
    std::string d = digits_.empty() ? std::string("0") : digits_;
    if (d.size() <= static_cast<std::size_t>(scale_)) d.insert(0, static_cast<std::size_t>(scale_) + 1 - d.size(), '0');
    if (scale_ > 0) d.insert(d.size() - static_cast<std::size_t>(scale_), 1, '.');
    return negative_ ? "-" + d : d;
}

double Decimal::toDouble() const {
    const std::string s = toString();
    double d = 0;
    std::from_chars(s.data(), s.data() + s.size(), d);
    return d;
}

Decimal Decimal::operator-() const {
    Decimal out = *this;
    out.negative_ = !negative_;
    out.normalize();
    return out;
}

Decimal operator+(const Decimal& a, const Decimal& b) {
    auto [x, y] = aligned(a.digits_, a.scale_, b.digits_, b.scale_);
    Decimal out;
    out.scale_ = std::max(a.scale_, b.scale_);
    if (a.negative_ == b.negative_) {
        out.digits_ = addMagnitudes(x, y);
        out.negative_ = a.negative_;
    } else if (compareMagnitudes(x, y) >= 0) {
        out.digits_ = subtractMagnitudes(x, y);
        out.negative_ = a.negative_;
    } else {
        out.digits_ = subtractMagnitudes(y, x);
        out.negative_ = b.negative_;
    }
    out.normalize();
    return out;
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
    Decimal out;
    out.digits_ = multiplyMagnitudes(a.digits_, b.digits_);
    out.negative_ = a.negative_ != b.negative_;
    out.scale_ = std::min(a.scale_ + b.scale_, kMaxScale * 2);
    out.normalize();
    return out;
}

int Decimal::compare(const Decimal& a, const Decimal& b) {
    if (a.negative_ != b.negative_) return a.negative_ ? -1 : 1;
    auto [x, y] = aligned(a.digits_, a.scale_, b.digits_, b.scale_);
    const int c = compareMagnitudes(x, y);
    return a.negative_ ? -c : c;
}

}  // namespace lucid
