// make:migration NAME: a migration class from Lucid's create (or --alter) template, in
// <migrations path>/<timestamp in ms>_<name>.cpp.
#include "command/commands.hpp"
#include "command/generated_file.hpp"

#include <lucid/naming.hpp>

#include <chrono>

namespace lucid::command {
namespace {

// create_users_table -> users (as written); user -> users (Lucid's table name of an entity)
std::string tableOf(std::string name) {
    bool named = false;
    for (const char* prefix : {"create_", "alter_"})
        if (name.rfind(prefix, 0) == 0) name.erase(0, std::string(prefix).size()), named = true;
    const std::string suffix = "_table";
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        name.erase(name.size() - suffix.size()), named = true;
    return named ? name : pluralize(name);
}

std::string migrationSource(const std::string& registered, const std::string& className, const std::string& table, bool alter,
                            const std::string& commandLine) {
    const std::string t = cppString(table);
    std::string s = "// " + className + ": made by `" + commandLine + "`. Add it to the application's migrations:\n" +
                    "//   migrations.add<" + className + ">(" + cppString(registered) + ");\n" +
                    "#include <lucid/lucid.hpp>\n\n" + "struct " + className + " : lucid::Migration {\n";
    if (alter) {
        s += "    void up(lucid::Schema& schema) override {\n"
             "        schema.alterTable(" + t + ", [](lucid::TableBuilder& t) {\n"
             "            (void)t;\n"
             "        });\n"
             "    }\n"
             "    void down(lucid::Schema& schema) override {\n"
             "        schema.alterTable(" + t + ", [](lucid::TableBuilder& t) {\n"
             "            (void)t;\n"
             "        });\n"
             "    }\n";
    } else {
        s += "    void up(lucid::Schema& schema) override {\n"
             "        schema.createTable(" + t + ", [](lucid::TableBuilder& t) {\n"
             "            t.increments(\"id\");\n"
             "            t.timestamp(\"created_at\");\n"
             "            t.timestamp(\"updated_at\");\n"
             "        });\n"
             "    }\n"
             "    void down(lucid::Schema& schema) override { schema.dropTable(" + t + "); }\n";
    }
    return s + "};\n";
}

int makeMigration(Context& ctx) {
    const std::string& raw = ctx.args.argument(0);
    requireName(raw, "migration name");
    const std::string name = snakeCase(raw);
    const bool alter = ctx.args.has("alter");
    const std::string table = ctx.args.value("table").value_or(tableOf(name));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string stem = std::to_string(ms) + "_" + name;
    const std::filesystem::path dir = ctx.options.migrationsPath;
    std::string commandLine = ctx.program + " make:migration " + raw + (alter ? " --alter" : "");
    if (ctx.args.has("table")) commandLine += " --table " + table;
    writeNewFile(ctx.output, dir, stem + ".cpp",
                 migrationSource((dir / stem).generic_string(), pascalCase(name), table, alter, commandLine));
    return 0;
}

}  // namespace

int makeModel(Context& ctx);  // make_model.cpp

std::vector<CommandSpec> makeCommands() {
    return {
        {"make:migration",
         "Make a new migration file",
         {{.name = "alter", .description = "Alter an existing table (default: create one)"},
          {.name = "table", .valueName = "TABLE", .description = "The table (default: from the name, create_users_table -> users)"}},
         {{"name", "Name of the migration file (snake case: create_users_table)"}},
         makeMigration},
        {"make:model",
         "Make a new model from a table's live columns",
         {{.name = "table", .valueName = "TABLE", .description = "The table to read (default: the model's table name, User -> users)"},
          connectionFlag()},
         {{"name", "Name of the model class (User)"}},
         makeModel},
    };
}

}  // namespace lucid::command
