#include <lucid/json.hpp>
#include <lucid/result.hpp>
#include <lucid/value.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>

namespace lucid {

using namespace std::chrono;

namespace {
struct Parts {
    int year, hour, minute, second, micros;
    unsigned month, day;
};
Parts split(DateTime t) {
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd{days};
    auto tod = t - days;
    auto h = duration_cast<hours>(tod);
    auto m = duration_cast<minutes>(tod - h);
    auto s = duration_cast<seconds>(tod - h - m);
    auto us = duration_cast<microseconds>(tod - h - m - s);
    return {static_cast<int>(ymd.year()), static_cast<int>(h.count()), static_cast<int>(m.count()), static_cast<int>(s.count()),
            static_cast<int>(us.count()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}
}  // namespace

std::string formatDateTime(DateTime t) {
    const Parts p = split(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", p.year, p.month, p.day, p.hour, p.minute, p.second, p.micros);
    return buf;
}

std::string sqlDateTime(DateTime t) {
    const Parts p = split(t);
    char buf[48];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", p.year, p.month, p.day, p.hour, p.minute, p.second);
    if (p.micros) std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ".%06d", p.micros);
    return buf;
}

void checkStorable(DateTime t) {
    const int y = static_cast<int>(year_month_day{floor<std::chrono::days>(t)}.year());
    if (y < 1 || y > 9999) throw TypeError("DateTime " + sqlDateTime(t) + " is outside the years 1-9999 that can be stored and read back");
}

namespace {
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}
}  // namespace

std::optional<DateTime> parseDateTime(std::string_view s) {
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    std::size_t pos = 10;
    int64_t micros = 0;
    int offsetMinutes = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != ' ') return std::nullopt;
        if (!digits(s, pos + 1, 2, h) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mi))
            return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, se)) return std::nullopt;
            pos += 3;
        }
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            int n = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (n < 6) micros = micros * 10 + (s[pos] - '0');
                ++n, ++pos;
            }
            if (n == 0) return std::nullopt;
            for (int i = n; i < 6; ++i) micros *= 10;
        }
        if (pos < s.size()) {
            char c = s[pos];
            if (c == 'Z' || c == 'z') {
                ++pos;
            } else if (c == '+' || c == '-') {
                int oh = 0, om = 0;
                if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
                pos += 3;
                if (pos < s.size() && s[pos] == ':') ++pos;
                if (pos < s.size()) {
                    if (!digits(s, pos, 2, om)) return std::nullopt;
                    pos += 2;
                }
                offsetMinutes = (oh * 60 + om) * (c == '-' ? -1 : 1);
            }
        }
        if (pos != s.size()) return std::nullopt;
        if (h > 23 || mi > 59 || se > 60) return std::nullopt;
    }
    DateTime t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} + microseconds{micros};
    return t - minutes{offsetMinutes};
}

std::string Value::kindName() const {
    static const char* names[] = {"null", "bool", "integer", "double", "text", "blob"};
    return names[v_.index()];
}

std::string Value::toDebugString() const {
    switch (kind()) {
    case Kind::Null: return "null";
    case Kind::Bool: return std::get<bool>(v_) ? "true" : "false";
    case Kind::Int: return std::to_string(std::get<int64_t>(v_));
    case Kind::Double: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v_));
        return buf;
    }
    case Kind::Text: {
        const auto& s = std::get<std::string>(v_);
        std::string out = "'";
        out.append(s, 0, std::min<std::size_t>(s.size(), 200));
        if (s.size() > 200) out += "...";
        return out + "'";
    }
    case Kind::Blob: return "<blob " + std::to_string(std::get<Blob>(v_).size()) + " bytes>";
    }
    return "?";
}

bool Value::looselyEquals(const Value& o) const {
    // Numbers compare by value, exactly (as hash() sees them): an integer equals a double only when the
    // double is that integer; past 2^53 a double stands for many integers and equals none of the others.
    auto integer = [](const Value& v, int64_t& i) {
        switch (v.kind()) {
        case Kind::Bool: i = std::get<bool>(v.v_); return true;
        case Kind::Int: i = std::get<int64_t>(v.v_); return true;
        case Kind::Double: return exactInteger(std::get<double>(v.v_), i);
        default: return false;
        }
    };
    auto number = [](const Value& v) { return v.kind() == Kind::Bool || v.kind() == Kind::Int || v.kind() == Kind::Double; };
    int64_t a = 0, b = 0;
    const bool ai = integer(*this, a), bi = integer(o, b);
    if (ai && bi) return a == b;
    if (kind() == Kind::Double && o.kind() == Kind::Double) return std::get<double>(v_) == std::get<double>(o.v_);
    if (number(*this) && number(o)) return false;  // an integer and a fraction
    return *this == o;
}

std::size_t Value::hash() const noexcept {
    switch (kind()) {
    case Kind::Null: return 0;
    case Kind::Bool: return std::hash<int64_t>{}(std::get<bool>(v_) ? 1 : 0);
    case Kind::Int: return std::hash<int64_t>{}(std::get<int64_t>(v_));
    case Kind::Double: {
        double d = std::get<double>(v_);
        if (int64_t i; exactInteger(d, i)) return std::hash<int64_t>{}(i);
        return std::hash<double>{}(d);
    }
    case Kind::Text: return std::hash<std::string>{}(std::get<std::string>(v_));
    case Kind::Blob: {
        const auto& b = std::get<Blob>(v_);
        return std::hash<std::string_view>{}(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
    }
    }
    return 0;
}

void throwConversion(const Value& v, const char* target) {
    throw TypeError("cannot convert " + v.kindName() + " value " + v.toDebugString() + " to " + target);
}

std::string bindingsToString(const Bindings& b) {
    std::string out = "[";
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i) out += ", ";
        out += b[i].toDebugString();
    }
    return out + "]";
}

bool ValueTraits<bool>::from(const Value& v) {
    if (v.kind() == Value::Kind::Bool) return std::get<bool>(v.storage());
    if (auto p = v.integer(); p && (*p == 0 || *p == 1)) return *p == 1;
    throwConversion(v, "bool");
}

double ValueTraits<double>::from(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Double: return std::get<double>(v.storage());
    case Value::Kind::Int: return static_cast<double>(std::get<int64_t>(v.storage()));
    case Value::Kind::Text: {
        // numeric columns arrive as text from PostgreSQL, to keep their precision
        const auto& s = std::get<std::string>(v.storage());
        double d;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return d;
        break;
    }
    default: break;
    }
    throwConversion(v, "double");
}

std::string ValueTraits<std::string>::from(const Value& v) {
    if (auto p = v.text()) return *p;
    throwConversion(v, "text");
}

Blob ValueTraits<Blob>::from(const Value& v) {
    if (v.kind() == Value::Kind::Blob) return std::get<Blob>(v.storage());
    if (auto p = v.text()) {
        Blob b(p->size());
        if (!p->empty()) std::memcpy(b.data(), p->data(), p->size());  // an empty blob has no storage to copy into
        return b;
    }
    throwConversion(v, "blob");
}

DateTime ValueTraits<DateTime>::from(const Value& v) {
    if (auto p = v.text())
        if (auto t = parseDateTime(*p)) return *t;
    throwConversion(v, "DateTime");
}

Decimal ValueTraits<Decimal>::from(const Value& v) {
    try {
        switch (v.kind()) {
        case Value::Kind::Text: return Decimal(std::get<std::string>(v.storage()));
        case Value::Kind::Int: return Decimal(std::get<int64_t>(v.storage()));
        case Value::Kind::Double: return Decimal::fromDouble(std::get<double>(v.storage()));
        default: break;
        }
    } catch (const TypeError&) {
        throw;
    } catch (const Error&) {
    }
    throwConversion(v, "Decimal");
}

Value roundedToScale(const Value& v, int scale) {
    if (v.isNull() || v.kind() == Value::Kind::Blob || v.kind() == Value::Kind::Bool) return v;
    try {
        return Value(ValueTraits<Decimal>::from(v).rescaled(scale));
    } catch (const TypeError&) {
        return v;  // not a number: the field's own conversion says why
    }
}

nlohmann::json ValueTraits<nlohmann::json>::from(const Value& v) {
    if (auto p = v.text()) {
        try {
            return nlohmann::json::parse(*p);
        } catch (const nlohmann::json::exception&) {
            throwConversion(v, "JSON");
        }
    }
    return toJson(v);
}

namespace {
// The length of the valid UTF-8 sequence at s[i], or 0 (Unicode 15, table 3-7); `maximal`: how many bytes
// of an invalid one form its maximal subpart (replaced by one U+FFFD).
std::size_t utf8Sequence(std::string_view s, std::size_t i, std::size_t& maximal) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    maximal = 1;
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return 0;
    for (std::size_t k = 1; k < n; ++k) {
        if (i + k >= s.size()) return 0;
        const unsigned char x = b(i + k);
        if (x < (k == 1 ? lo : 0x80) || x > (k == 1 ? hi : 0xBF)) return 0;
        maximal = k + 1;
    }
    return n;
}
}  // namespace

nlohmann::json jsonText(std::string_view text) {
    std::size_t i = 0, maximal = 0;
    while (i < text.size()) {
        const std::size_t n = utf8Sequence(text, i, maximal);
        if (!n) break;
        i += n;
    }
    if (i == text.size()) return std::string(text);  // valid: the common case, one copy
    std::string out(text.substr(0, i));
    while (i < text.size()) {
        const std::size_t n = utf8Sequence(text, i, maximal);
        if (n) {
            out.append(text.substr(i, n));
            i += n;
        } else {
            out += "\xEF\xBF\xBD";  // U+FFFD
            i += maximal;
        }
    }
    return out;
}

Value toValue(const nlohmann::json& j) { return Value(j.dump()); }

nlohmann::json toJson(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::Null: return nullptr;
    case Value::Kind::Bool: return std::get<bool>(v.storage());
    case Value::Kind::Int: return std::get<int64_t>(v.storage());
    case Value::Kind::Double: return std::get<double>(v.storage());
    case Value::Kind::Text: return jsonText(std::get<std::string>(v.storage()));
    case Value::Kind::Blob: {
        auto arr = nlohmann::json::array();
        for (std::byte b : std::get<Blob>(v.storage())) arr.push_back(static_cast<int>(b));
        return arr;
    }
    }
    return nullptr;
}

QueryError::QueryError(const std::string& driverMessage, std::string sql, std::string bindingsText, std::string sqlState)
    : QueryError("E_QUERY_ERROR", driverMessage, std::move(sql), std::move(bindingsText), std::move(sqlState)) {}

QueryError::QueryError(std::string code, const std::string& driverMessage, std::string sql, std::string bindingsText, std::string sqlState)
    : Error(std::move(code), driverMessage + "\n  sql: " + sql + "\n  bindings: " + bindingsText),
      driverMessage_(driverMessage), sql_(std::move(sql)), bindings_(std::move(bindingsText)), sqlState_(std::move(sqlState)) {}

int detail::ResultData::columnIndex(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return static_cast<int>(i);
    return -1;
}

const Value& Row::operator[](std::string_view column) const {
    int i = d_->columnIndex(column);
    if (i < 0) throw Error("E_UNKNOWN_COLUMN", "the result has no column \"" + std::string(column) + "\"");
    return at(static_cast<std::size_t>(i));
}

}  // namespace lucid
