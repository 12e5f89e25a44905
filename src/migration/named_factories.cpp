// The errors of a migration or seeder list: a missing or repeated name, an unknown one.
#include <lucid/detail/named_factories.hpp>
#include <lucid/errors.hpp>

#include <cctype>

namespace lucid::detail {
namespace {

std::string code(std::string_view kind) {
    std::string out = "E_INVALID_";
    for (char c : kind) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string capitalized(std::string_view kind) {
    std::string out{kind};
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

}  // namespace

void checkNewName(std::string_view kind, const std::string& name, bool taken) {
    if (name.empty()) throw Error(code(kind), "A " + std::string{kind} + " needs a name");
    if (taken) throw Error(code(kind), capitalized(kind) + " \"" + name + "\" is added twice");
}

void throwUnknownName(std::string_view kind, const std::string& name) {
    throw Error(code(kind), "No " + std::string{kind} + " named \"" + name + "\"");
}

}  // namespace lucid::detail
