#pragma once
// The application's command line: runCommand turns the application's own binary into Lucid's
// `node ace` for its database (migration:*, db:seed, make:migration, make:model).
#include <lucid/database.hpp>
#include <lucid/migration.hpp>
#include <lucid/seeder.hpp>

#include <iosfwd>
#include <optional>
#include <string>

namespace lucid {

namespace detail {
const Migrations& noMigrations();
const Seeders& noSeeders();
}  // namespace detail

struct CommandOptions {
    Database& database;
    const Migrations& migrations = detail::noMigrations();
    const Seeders& seeders = detail::noSeeders();
    // Where make:migration and make:model write their files (relative paths: from the current directory).
    std::string migrationsPath = "database/migrations";
    std::string modelsPath = "app/models";
    std::string tableName = "adonis_schema";  // the migrator's bookkeeping table (MigratorOptions::tableName)
    std::ostream* out = nullptr;              // nullptr: std::cout
    std::ostream* err = nullptr;              // nullptr: std::cerr
    // Colours in the output; unset: only when `out` is the standard output, on a terminal, and NO_COLOR is unset.
    std::optional<bool> color{};
};

// Runs the command argv[1..] names and returns the process's exit status: 0 on success, 1 when the command
// failed, 2 for a command line that cannot run (unknown command or flag, missing value). Every failure
// writes a one-line reason to `err`. With no command, or with --help, prints the help.
int runCommand(int argc, char** argv, const CommandOptions& options);

}  // namespace lucid
