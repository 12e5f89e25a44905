#pragma once
// The commands runCommand knows: each a name, its flags and arguments, and the function that runs it.
#include "command/arguments.hpp"
#include "command/output.hpp"

#include <lucid/command.hpp>

#include <string>
#include <vector>

namespace lucid::command {

struct Context {
    const CommandOptions& options;
    const Arguments& args;
    Output& output;
    std::string program;  // argv[0]'s file name, for messages that show a command line
};

struct CommandSpec {
    std::string name;
    std::string description;
    std::vector<FlagSpec> flags;
    std::vector<ArgumentSpec> arguments;
    int (*run)(Context&);  // the exit status; failures throw (runCommand reports them)
};

// Every command, in the order --help lists them.
const std::vector<CommandSpec>& commands();

// Each file's commands.
std::vector<CommandSpec> migrationCommands();
std::vector<CommandSpec> seedCommands();
std::vector<CommandSpec> makeCommands();

// The flags several commands share, as Lucid words them.
FlagSpec connectionFlag();
FlagSpec dryRunFlag();
FlagSpec disableLocksFlag();
FlagSpec seedFlag();

// The connection --connection names (Lucid's message when there is none), else the default one.
Connection& connectionOf(Context& ctx);
// Runs the seeders (every one, in name order, when `names` is empty), each in its own transaction, printing a
// line each; stops at the first failure and rethrows it.
void runSeeders(Context& ctx, const std::vector<std::string>& names);

}  // namespace lucid::command
