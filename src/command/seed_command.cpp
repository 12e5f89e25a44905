// db:seed: the application's seeders, each in its own transaction; the first failure stops the run.
#include "command/commands.hpp"

#include <lucid/errors.hpp>

namespace lucid::command {
namespace {

int seed(Context& ctx) {
    runSeeders(ctx, ctx.args.values("files"));
    return 0;
}

}  // namespace

void runSeeders(Context& ctx, const std::vector<std::string>& names) {
    const Seeders& seeders = ctx.options.seeders;
    Output& o = ctx.output;
    // every name is checked before any seeder runs
    for (const std::string& name : names) {
        if (seeders.contains(name)) continue;
        std::string known;
        for (const std::string& n : seeders.names()) known += (known.empty() ? "" : ", ") + n;
        throw Error("E_INVALID_SEEDER", "No seeder named \"" + name + "\"" + (known.empty() ? " (the application has none)" : " (seeders: " + known + ")"));
    }
    const std::vector<std::string> chosen = names.empty() ? seeders.names() : names;
    if (chosen.empty()) o.line(o.paint(Colour::Cyan, "No seeders to run"));
    Connection& client = connectionOf(ctx);
    for (const std::string& name : chosen) {
        o.replaceable(o.paint(Colour::Gray, "❯ running  ") + " " + name);
        try {
            seeders.run(name, client);
        } catch (...) {
            o.line(o.paint(Colour::Red, "❯ error    ") + " " + name);
            throw;
        }
        o.line(o.paint(Colour::Green, "❯ completed") + " " + name);
    }
}

std::vector<CommandSpec> seedCommands() {
    return {{"db:seed",
             "Execute database seeders",
             {{.name = "connection", .valueName = "NAME", .description = "Define a custom database connection for the seeders", .alias = 'c'},
              {.name = "files", .valueName = "NAME,...", .description = "Define a custom set of seeders to run, by name", .alias = 'f', .repeatable = true}},
             {},
             seed}};
}

}  // namespace lucid::command
