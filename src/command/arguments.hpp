#pragma once
// A command's flags and arguments, read from argv: `--flag`, `--flag value`, `--flag=value`, `-c value`.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lucid::command {

// A command line that cannot run: exit status 2, the message on one line.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct FlagSpec {
    std::string name;         // without the dashes: "dry-run"
    std::string valueName;    // empty: a boolean flag; else what the value is ("NAME", "N")
    std::string description;
    char alias = 0;           // -c for --connection
    bool repeatable = false;  // may be given more than once (the values add up)
};

struct ArgumentSpec {
    std::string name;
    std::string description;
};

class Arguments {
public:
    Arguments(const std::string& command, const std::vector<std::string>& words, const std::vector<FlagSpec>& flags,
              const std::vector<ArgumentSpec>& arguments);

    bool has(const std::string& flag) const { return flags_.count(flag) > 0; }
    std::optional<std::string> value(const std::string& flag) const;
    std::vector<std::string> values(const std::string& flag) const;  // each value, and each comma-separated part
    std::optional<int64_t> number(const std::string& flag) const;    // UsageError when not an integer
    const std::string& argument(std::size_t i) const { return positional_.at(i); }
    bool wantsHelp() const { return help_; }

private:
    std::string command_;
    std::map<std::string, std::vector<std::string>> flags_;
    std::vector<std::string> positional_;
    bool help_ = false;
};

}  // namespace lucid::command
