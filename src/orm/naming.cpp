#include <lucid/naming.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace lucid {

std::string snakeCase(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 4);
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isupper(c)) {
            bool prevLowerOrDigit = i > 0 && (std::islower(static_cast<unsigned char>(s[i - 1])) || std::isdigit(static_cast<unsigned char>(s[i - 1])));
            bool acronymEnd = i > 0 && std::isupper(static_cast<unsigned char>(s[i - 1])) && i + 1 < s.size() &&
                              std::islower(static_cast<unsigned char>(s[i + 1]));
            if (!out.empty() && out.back() != '_' && (prevLowerOrDigit || acronymEnd)) out += '_';
            out += static_cast<char>(std::tolower(c));
        } else if (c == '-' || c == ' ') {
            if (!out.empty() && out.back() != '_') out += '_';
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string camelCase(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool upper = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '_' || c == '-' || c == ' ') {
            upper = !out.empty();
            continue;
        }
        if (out.empty()) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return out;
}

std::string pluralize(std::string_view word) {
    if (word.empty()) return {};
    // the last snake_case segment is the noun: user_profile -> user_profiles
    auto cut = word.rfind('_');
    std::string head(cut == std::string_view::npos ? "" : word.substr(0, cut + 1));
    std::string w(cut == std::string_view::npos ? word : word.substr(cut + 1));
    std::string lower = w;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    static const std::array<std::pair<const char*, const char*>, 22> irregular{{
        {"person", "people"}, {"child", "children"}, {"man", "men"}, {"woman", "women"}, {"mouse", "mice"},
        {"goose", "geese"}, {"foot", "feet"}, {"tooth", "teeth"}, {"ox", "oxen"}, {"leaf", "leaves"},
        {"life", "lives"}, {"knife", "knives"}, {"wife", "wives"}, {"half", "halves"}, {"criterion", "criteria"},
        {"datum", "data"}, {"medium", "media"}, {"analysis", "analyses"}, {"index", "indices"},
        {"matrix", "matrices"}, {"vertex", "vertices"}, {"quiz", "quizzes"}}};
    for (const auto& [one, many] : irregular)
        if (lower == one) return head + many;
    static const std::array<const char*, 12> uncountable{
        "equipment", "information", "rice", "money", "species", "series", "fish", "sheep", "deer", "news", "metadata", "feedback"};
    for (const char* u : uncountable)
        if (lower == u) return head + w;
    auto ends = [&](std::string_view suffix) {
        return lower.size() >= suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    auto isVowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
    if (ends("y") && lower.size() > 1 && !isVowel(lower[lower.size() - 2])) return head + w.substr(0, w.size() - 1) + "ies";
    if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return head + w + "es";
    return head + w + "s";
}

std::string NamingStrategy::relationPivotTable(std::string_view modelName, std::string_view relatedModelName) const {
    std::string a = snakeCase(modelName), b = snakeCase(relatedModelName);
    if (b < a) std::swap(a, b);
    return a + "_" + b;
}

}  // namespace lucid
