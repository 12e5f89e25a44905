#pragma once
// Migrations: versioned schema changes, recorded in Lucid's own bookkeeping tables (adonis_schema and
// adonis_schema_versions), so that a Lucid application and lucid-cpp can migrate one database.
#include <lucid/database.hpp>
#include <lucid/schema.hpp>
#include <lucid/value.hpp>

#include <cstdint>
#include <lucid/detail/named_factories.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lucid {

class Migration {
public:
    virtual ~Migration() = default;
    virtual void up(Schema& schema) = 0;
    virtual void down(Schema&) {}
    // true: run without the migration's transaction (statements that cannot run inside one)
    virtual bool disableTransactions() const { return false; }
};

// What the application ships: migrations by name, run in name order (byte order, as file names sort).
class Migrations {
public:
    using Step = std::function<void(Schema&)>;
    using Factory = std::function<std::unique_ptr<Migration>()>;

    template <class M> Migrations& add(std::string name) {
        return addFactory(std::move(name), [] { return std::unique_ptr<Migration>(std::make_unique<M>()); });
    }
    Migrations& add(std::string name, Step up, Step down = {});
    // An empty or already added name throws lucid::Error (E_INVALID_MIGRATION).
    Migrations& addFactory(std::string name, Factory make);

    std::vector<std::string> names() const;  // in name order
    bool contains(const std::string& name) const { return entries_.contains(name); }
    std::unique_ptr<Migration> create(const std::string& name) const;  // lucid::Error when unknown
    std::size_t size() const { return entries_.size(); }

private:
    detail::NamedFactories<Migration> entries_{"migration"};
};

struct MigratedFile {
    std::string name;
    int64_t batch = 0;
    std::string status;                // "pending" | "completed" | "error"
    std::vector<std::string> queries;  // dry run: the SQL the migration would run
};

struct MigratorOptions {
    std::string connection;  // empty: the database's default connection
    std::string tableName = "adonis_schema";  // the versions live in <tableName>_versions
    bool dryRun = false;                      // return each migration's SQL in MigratedFile::queries, run nothing
    bool disableLocks = false;                // skip PostgreSQL's advisory lock
    // Called as each migration starts (status "pending") and as it ends ("completed" or "error"): progress.
    std::function<void(const MigratedFile&)> onFile;
};

struct RollbackOptions {
    std::optional<int64_t> batch;  // roll back every batch above this one; 0: everything. Default: the latest batch
    std::optional<int64_t> step;   // the N newest migrations, whatever their batch (within `batch` when given)
};

struct MigrationResult {
    std::vector<MigratedFile> files;  // every migration the call meant to run, in the order it ran them
    std::string error;                // the failure's message, when one stopped the run
};

struct MigrationStatus {
    std::string name;
    std::string status;  // "pending" | "migrated" | "corrupt" (recorded, but no longer in the list)
    std::optional<int64_t> batch;
    std::optional<DateTime> migratedAt;
};

class Migrator {
public:
    // `migrations` must outlive the migrator.
    Migrator(Database& db, const Migrations& migrations, MigratorOptions options = {});

    // The pending migrations, in name order, as one new batch. A failing migration leaves neither its
    // changes nor its row; the run stops there and the error is thrown after result() records it.
    MigrationResult run();
    MigrationResult rollback(RollbackOptions options = {});
    std::vector<MigrationStatus> status();
    MigrationResult reset();    // rollback({.batch = 0})
    MigrationResult refresh();  // reset, then run
    MigrationResult fresh();    // drop every table of the connection, then run
    const MigrationResult& result() const { return result_; }  // of the last call, also when it threw

private:
    class Session;
    MigrationResult migrateUp(Session& session);
    MigrationResult migrateDown(Session& session, RollbackOptions options);
    void execute(Session& session, MigratedFile& file, bool up);
    template <class F> MigrationResult recorded(F&& call);

    Connection& connection_;
    const Migrations& migrations_;
    MigratorOptions options_;
    MigrationResult result_;
};

}  // namespace lucid
