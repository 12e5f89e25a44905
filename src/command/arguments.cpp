// Reading a command's flags and arguments; every mistake is a UsageError naming what is wrong.
#include "command/arguments.hpp"

#include <charconv>

namespace lucid::command {
namespace {

const FlagSpec* find(const std::vector<FlagSpec>& flags, const std::string& name, char alias) {
    for (const FlagSpec& f : flags)
        if (alias ? f.alias == alias : f.name == name) return &f;
    return nullptr;
}

}  // namespace

Arguments::Arguments(const std::string& command, const std::vector<std::string>& words, const std::vector<FlagSpec>& flags,
                     const std::vector<ArgumentSpec>& arguments)
    : command_(command) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (w == "--help" || w == "-h") {
            help_ = true;
            continue;
        }
        if (w.size() < 2 || w[0] != '-') {
            positional_.push_back(w);
            continue;
        }
        const bool isLong = w.rfind("--", 0) == 0;
        const auto eq = w.find('=');
        const std::string name = isLong ? w.substr(2, eq == std::string::npos ? std::string::npos : eq - 2) : std::string();
        const FlagSpec* flag = isLong ? find(flags, name, 0) : w.size() == 2 ? find(flags, {}, w[1]) : nullptr;
        const std::string shown = isLong ? "--" + name : w;
        if (!flag) throw UsageError("Unknown flag \"" + shown + "\" for \"" + command + "\"");
        auto& slot = flags_[flag->name];
        if (!slot.empty() && !flag->repeatable) throw UsageError("Flag \"" + shown + "\" is given twice");
        if (flag->valueName.empty()) {
            if (isLong && eq != std::string::npos) throw UsageError("Flag \"" + shown + "\" takes no value");
            slot.push_back("true");
        } else if (isLong && eq != std::string::npos) {
            slot.push_back(w.substr(eq + 1));
        } else if (i + 1 < words.size() && words[i + 1].rfind("--", 0) != 0) {
            slot.push_back(words[++i]);
        } else {
            throw UsageError("Missing value for flag \"" + shown + "\" (" + flag->valueName + ")");
        }
        if (!flag->valueName.empty() && slot.back().empty()) throw UsageError("Missing value for flag \"" + shown + "\" (" + flag->valueName + ")");
    }
    if (help_) return;
    if (positional_.size() < arguments.size())
        throw UsageError("Missing required argument \"" + arguments[positional_.size()].name + "\" of \"" + command + "\"");
    if (positional_.size() > arguments.size())
        throw UsageError("Unexpected argument \"" + positional_[arguments.size()] + "\" for \"" + command + "\"");
}

std::optional<std::string> Arguments::value(const std::string& flag) const {
    auto it = flags_.find(flag);
    if (it == flags_.end()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Arguments::values(const std::string& flag) const {
    std::vector<std::string> out;
    auto it = flags_.find(flag);
    if (it == flags_.end()) return out;
    for (const std::string& v : it->second) {
        std::size_t start = 0;
        for (std::size_t comma; (comma = v.find(',', start)) != std::string::npos; start = comma + 1)
            if (comma > start) out.push_back(v.substr(start, comma - start));
        if (start < v.size()) out.push_back(v.substr(start));
    }
    return out;
}

std::optional<int64_t> Arguments::number(const std::string& flag) const {
    auto v = value(flag);
    if (!v) return std::nullopt;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size())
        throw UsageError("Flag \"--" + flag + "\" expects an integer, got \"" + *v + "\"");
    return n;
}

}  // namespace lucid::command
