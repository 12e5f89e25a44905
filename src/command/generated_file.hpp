#pragma once
// What make:migration and make:model share: names for generated code, and writing a new file.
#include "command/output.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace lucid::command {

std::string pascalCase(std::string_view name);  // create_users_table, create-users -> CreateUsersTable
std::string cppString(std::string_view text);   // a C++ string literal holding `text`
// UsageError unless `name` is letters, digits, '_' and '-', starting with a letter.
void requireName(std::string_view name, std::string_view what);
// Writes `text` to dir/fileName (making dir), never over an existing file; prints "DONE: create <path>".
void writeNewFile(Output& output, const std::filesystem::path& dir, const std::string& fileName, const std::string& text);

}  // namespace lucid::command
