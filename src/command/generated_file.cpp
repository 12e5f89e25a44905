// Names for generated code and writing generated files (AdonisJS's "DONE: create <path>").
#include "command/generated_file.hpp"

#include "command/arguments.hpp"

#include <lucid/errors.hpp>
#include <lucid/naming.hpp>

#include <cctype>
#include <fstream>

namespace lucid::command {

std::string pascalCase(std::string_view name) {
    std::string s = camelCase(snakeCase(name));
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

std::string cppString(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

void requireName(std::string_view name, std::string_view what) {
    bool ok = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
    for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) throw UsageError("Invalid " + std::string(what) + " \"" + std::string(name) + "\": use letters, digits, '_' and '-', starting with a letter");
}

void writeNewFile(Output& output, const std::filesystem::path& dir, const std::string& fileName, const std::string& text) {
    const std::filesystem::path path = dir / fileName;
    if (std::filesystem::exists(path)) throw Error("E_FILE_EXISTS", "Cannot create \"" + path.generic_string() + "\": the file already exists");
    std::filesystem::create_directories(dir);
    std::ofstream file(path, std::ios::binary);
    file << text;
    file.close();
    if (!file) throw Error("E_FILE_WRITE", "Cannot write \"" + path.generic_string() + "\"");
    output.line(output.paint(Colour::Green, "DONE:") + "    create " + path.generic_string());
}

}  // namespace lucid::command
