// migration:run, rollback, status, reset, refresh and fresh: the Migrator, with output a person reads
// (AdonisJS's words: "❯ migrated <name>", "Already up to date", "Migrated in 25 ms").
#include "command/commands.hpp"

#include <lucid/migration.hpp>

#include <chrono>
#include <functional>

namespace lucid::command {
namespace {

using Clock = std::chrono::steady_clock;

MigratorOptions migratorOptions(Context& ctx) {
    return {.connection = connectionOf(ctx).connectionName(),
            .tableName = ctx.options.tableName,
            .dryRun = ctx.args.has("dry-run"),
            .disableLocks = ctx.args.has("disable-locks")};
}

std::string fileLine(Output& o, const MigratedFile& f, bool up) {
    const Colour c = f.status == "pending" ? Colour::Gray : f.status == "completed" ? Colour::Green : Colour::Red;
    const char* word = f.status == "pending" ? (up ? "migrating" : "reverting")
                       : f.status == "completed" ? (up ? "migrated" : "reverted")
                                                 : "error";
    return o.paint(c, "❯") + " " + o.paint(c, word) + " " + f.name;
}

void printQueries(Output& o, const MigrationResult& r) {
    for (const MigratedFile& f : r.files) {
        o.line(o.paint(Colour::Gray, "------------- " + f.name + " -------------"));
        o.line("");
        for (const std::string& sql : f.queries) {
            o.line(sql + ";");
            o.line("");
        }
        o.line(o.paint(Colour::Gray, "------------- END -------------"));
    }
}

// Runs `call` on a migrator of the command's connection: a line per migration as it ends (and, on a
// terminal, as it starts), then the total time; the SQL instead in a dry run. `beforeFirst` prints what
// the call did before its first migration.
int migrate(Context& ctx, bool up, const std::function<MigrationResult(Migrator&)>& call,
            const std::function<void()>& beforeFirst = {}) {
    Output& o = ctx.output;
    MigratorOptions options = migratorOptions(ctx);
    const bool dry = options.dryRun;
    bool started = false;
    Clock::time_point fileStart{};
    auto announce = [&] {
        if (!started && beforeFirst) beforeFirst();
        started = true;
    };
    options.onFile = [&](const MigratedFile& f) {
        announce();
        if (dry) return;
        if (f.status == "pending") {
            fileStart = Clock::now();
            o.replaceable(fileLine(o, f, up));
        } else {
            o.line(fileLine(o, f, up) + " " + o.paint(Colour::Gray, "(" + formatDuration(Clock::now() - fileStart) + ")"));
        }
    };
    Migrator migrator{ctx.options.database, ctx.options.migrations, options};
    const auto begin = Clock::now();
    try {
        MigrationResult r = call(migrator);
        announce();
        if (r.files.empty()) o.line(o.paint(Colour::Cyan, up ? "Already up to date" : "Already at latest batch"));
        else if (dry) printQueries(o, r);
        else o.line("\n" + std::string(up ? "Migrated in " : "Reverted in ") + o.paint(Colour::Cyan, formatDuration(Clock::now() - begin)));
        return 0;
    } catch (...) {
        for (const MigratedFile& f : migrator.result().files)
            if (f.status == "pending") o.line(o.paint(Colour::Gray, "❯ skipped") + " " + f.name);
        throw;
    }
}

int run(Context& ctx) {
    return migrate(ctx, true, [](Migrator& m) { return m.run(); });
}

int rollback(Context& ctx) {
    RollbackOptions options{.batch = ctx.args.number("batch"), .step = ctx.args.number("step")};
    return migrate(ctx, false, [&](Migrator& m) { return m.rollback(options); });
}

int reset(Context& ctx) {
    return migrate(ctx, false, [](Migrator& m) { return m.reset(); });
}

// As Lucid's: migration:reset, then migration:run, then (--seed) db:seed.
int refresh(Context& ctx) {
    if (int code = reset(ctx)) return code;
    if (int code = run(ctx)) return code;
    if (ctx.args.has("seed")) runSeeders(ctx, {});
    return 0;
}

int fresh(Context& ctx) {
    Output& o = ctx.output;
    int code = migrate(ctx, true, [](Migrator& m) { return m.fresh(); },
                       [&] { o.line(o.paint(Colour::Green, "❯") + " Dropped tables successfully"); });
    if (code == 0 && ctx.args.has("seed")) runSeeders(ctx, {});
    return code;
}

std::string migratedAt(const std::optional<DateTime>& t) {
    if (!t) return "";
    std::string s = formatDateTime(*t).substr(0, 19);  // 2024-03-05T12:34:56
    s[10] = ' ';
    return s;
}

int status(Context& ctx) {
    Output& o = ctx.output;
    Migrator migrator{ctx.options.database, ctx.options.migrations, migratorOptions(ctx)};
    std::vector<std::vector<std::string>> rows;
    bool corrupt = false;
    for (const MigrationStatus& s : migrator.status()) {
        const bool isCorrupt = s.status == "corrupt";
        corrupt = corrupt || isCorrupt;
        rows.push_back({s.name,
                        s.status == "pending"    ? o.paint(Colour::Yellow, "pending")
                        : s.status == "migrated" ? o.paint(Colour::Green, "completed")
                                                 : o.paint(Colour::Red, "corrupt"),
                        s.batch ? std::to_string(*s.batch) : "NA", migratedAt(s.migratedAt),
                        isCorrupt ? "The migration file is missing on filesystem" : ""});
    }
    std::vector<std::string> head{"Name", "Status", "Batch", "Migrated at"};
    if (corrupt) head.push_back("Message");
    else
        for (auto& r : rows) r.pop_back();
    o.table(head, rows);
    return 0;
}

}  // namespace

std::vector<CommandSpec> migrationCommands() {
    const FlagSpec batch{.name = "batch", .valueName = "N",
                         .description = "Define custom batch number for rollback. Use 0 to rollback to initial state"};
    const FlagSpec step{.name = "step", .valueName = "N", .description = "The number of migrations to be reverted"};
    return {
        {"migration:fresh", "Drop all tables and re-migrate the database", {connectionFlag(), seedFlag(), disableLocksFlag()}, {}, fresh},
        {"migration:refresh", "Rollback and migrate database",
         {connectionFlag(), dryRunFlag(), seedFlag(), disableLocksFlag()}, {}, refresh},
        {"migration:reset", "Rollback all migrations", {connectionFlag(), dryRunFlag(), disableLocksFlag()}, {}, reset},
        {"migration:rollback", "Rollback migrations to a specific batch number",
         {connectionFlag(), dryRunFlag(), batch, step, disableLocksFlag()}, {}, rollback},
        {"migration:run", "Migrate database by running pending migrations", {connectionFlag(), dryRunFlag(), disableLocksFlag()}, {}, run},
        {"migration:status", "View migrations status", {connectionFlag()}, {}, status},
    };
}

}  // namespace lucid::command
