// runCommand: finds the command argv names, reads its flags, runs it, and turns every failure into a
// one-line reason and an exit status. Also the help.
#include "command/commands.hpp"

#include <lucid/errors.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace lucid {

const Migrations& detail::noMigrations() {
    static const Migrations none;
    return none;
}
const Seeders& detail::noSeeders() {
    static const Seeders none;
    return none;
}

namespace command {
namespace {

std::string padded(std::string s, std::size_t width) {
    if (s.size() < width) s.append(width - s.size(), ' ');
    return s;
}

void printHelp(Output& o, const std::string& program) {
    o.line("Usage: " + program + " <command> [flags] [arguments]");
    o.line("");
    o.line("Available commands:");
    std::string group;
    for (const CommandSpec& c : commands()) {
        const std::string g = c.name.substr(0, c.name.find(':'));
        if (g != group) o.line(" " + o.paint(Colour::Yellow, group = g));
        o.line("  " + o.paint(Colour::Green, padded(c.name, 22)) + c.description);
    }
    o.line("");
    o.line("Run \"" + program + " <command> --help\" to see a command's flags.");
}

void printCommandHelp(Output& o, const std::string& program, const CommandSpec& c) {
    o.line(o.paint(Colour::Yellow, "Description:"));
    o.line("  " + c.description);
    o.line("");
    std::string usage = "  " + program + " " + c.name + (c.flags.empty() ? "" : " [flags]");
    for (const ArgumentSpec& a : c.arguments) usage += " <" + a.name + ">";
    o.line(o.paint(Colour::Yellow, "Usage:"));
    o.line(usage);
    if (!c.arguments.empty()) {
        o.line("");
        o.line(o.paint(Colour::Yellow, "Arguments:"));
        for (const ArgumentSpec& a : c.arguments) o.line("  " + o.paint(Colour::Green, padded(a.name, 26)) + a.description);
    }
    o.line("");
    o.line(o.paint(Colour::Yellow, "Flags:"));
    for (const FlagSpec& f : c.flags) {
        std::string names = f.alias ? std::string("-") + f.alias + ", " : "    ";
        names += "--" + f.name + (f.valueName.empty() ? "" : " " + f.valueName);
        o.line("  " + o.paint(Colour::Green, padded(names, 26)) + f.description);
    }
    o.line("  " + o.paint(Colour::Green, padded("-h, --help", 26)) + "Show this help");
}

// A reason fits one line: a driver's message may not.
std::string oneLine(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

bool colourWanted(const CommandOptions& options, std::ostream& out) {
    if (options.color) return *options.color;
    const char* noColor = std::getenv("NO_COLOR");
    return &out == &std::cout && isatty(STDOUT_FILENO) && !(noColor && *noColor);
}

}  // namespace

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> all = [] {
        std::vector<CommandSpec> out = seedCommands();
        for (auto* part : {&makeCommands, &migrationCommands})
            for (CommandSpec& c : part()) out.push_back(std::move(c));
        return out;
    }();
    return all;
}

FlagSpec connectionFlag() { return {.name = "connection", .valueName = "NAME", .description = "Define a custom database connection", .alias = 'c'}; }
FlagSpec dryRunFlag() { return {.name = "dry-run", .description = "Do not run actual queries. Instead view the SQL output"}; }
FlagSpec disableLocksFlag() { return {.name = "disable-locks", .description = "Disable locks acquired to run migrations safely"}; }
FlagSpec seedFlag() { return {.name = "seed", .description = "Run seeders"}; }

Connection& connectionOf(Context& ctx) {
    auto name = ctx.args.value("connection");
    if (!name) return ctx.options.database.connection();
    try {
        return ctx.options.database.connection(*name);
    } catch (const ConnectionError&) {
        throw Error("E_INVALID_CONNECTION", "\"" + *name + "\" is not a valid connection name");
    }
}

}  // namespace command

int runCommand(int argc, char** argv, const CommandOptions& options) {
    using namespace command;
    std::ostream& out = options.out ? *options.out : std::cout;
    std::ostream& err = options.err ? *options.err : std::cerr;
    Output output(out, err, colourWanted(options, out));
    const std::string program = argc > 0 && argv[0] ? std::filesystem::path(argv[0]).filename().string() : "app";
    std::vector<std::string> words;
    for (int i = 2; i < argc; ++i) words.emplace_back(argv[i]);
    const std::string name = argc > 1 && argv[1] ? argv[1] : "";
    if (name.empty() || name == "--help" || name == "-h" || (name == "help" && words.empty())) {
        printHelp(output, program);
        return 0;
    }
    const std::string wanted = name == "help" ? words.front() : name;
    const CommandSpec* spec = nullptr;
    for (const CommandSpec& c : commands())
        if (c.name == wanted) spec = &c;
    if (!spec) {
        output.error("Command \"" + wanted + "\" is not defined. Run \"" + program + " --help\" for the list");
        return 2;
    }
    try {
        if (name == "help") {
            printCommandHelp(output, program, *spec);
            return 0;
        }
        Arguments args(spec->name, words, spec->flags, spec->arguments);
        if (args.wantsHelp()) {
            printCommandHelp(output, program, *spec);
            return 0;
        }
        Context ctx{options, args, output, program};
        return spec->run(ctx);
    } catch (const UsageError& e) {
        output.error(oneLine(e.what()));
        return 2;
    } catch (const Error& e) {
        output.error(oneLine(e.code() + ": " + e.what()));
        return 1;
    } catch (const std::exception& e) {
        output.error(oneLine(e.what()));
        return 1;
    }
}

}  // namespace lucid
