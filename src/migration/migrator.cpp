#include "migration/bookkeeping.hpp"
#include "migration/migration_lock.hpp"
#include "database/transaction_core.hpp"
#include "sql/dialect.hpp"

#include <lucid/errors.hpp>
#include <lucid/migration.hpp>

#include <functional>
#include <set>

namespace lucid {
namespace {
// A migration in a transaction with the dialect's guard around it (SQLite: foreign keys off, so that a
// rebuild's DROP TABLE fires no ON DELETE action), and the foreign keys checked before the commit.
void runGuarded(Connection& connection, const detail::Dialect::RebuildGuard& guard, const std::string& name,
                const std::function<void(Transaction&)>& fn) {
    Transaction trx = connection.transaction();
    detail::runAroundTransaction(trx, guard.before, guard.after);
    fn(trx);
    Result violations = trx.execute(detail::Statement{.sql = guard.check});
    if (!violations.empty()) {
        const Row v = violations[0];
        throw MigrationError("E_FOREIGN_KEY_VIOLATION", "Migration \"" + name + "\" was rolled back: a row of \"" + v.get<std::string>("table") +
                                                            "\" (rowid " + v["rowid"].toDebugString() + ") references a missing row of \"" +
                                                            v.get<std::string>("parent") + "\"");
    }
    trx.commit();
}
}  // namespace

// One run: the lock first (also in a dry run, as Lucid does), then the bookkeeping tables.
class Migrator::Session {
public:
    Session(Connection& connection, const MigratorOptions& options) : book(connection, options.tableName) {
        if (!options.disableLocks) lock_.emplace(connection);
        book.prepare();
    }

private:
    std::optional<detail::MigrationLock> lock_;  // destroyed after `book`: released at the very end

public:
    detail::Bookkeeping book;
};

Migrator::Migrator(Database& db, const Migrations& migrations, MigratorOptions options)
    : connection_(options.connection.empty() ? db.connection() : db.connection(options.connection)),
      migrations_(migrations),
      options_(std::move(options)) {}

template <class F> MigrationResult Migrator::recorded(F&& call) {
    result_ = MigrationResult{};
    try {
        return call();
    } catch (const std::exception& e) {
        if (result_.error.empty()) result_.error = e.what();
        throw;
    }
}

MigrationResult Migrator::run() {
    return recorded([&] {
        Session session(connection_, options_);
        return migrateUp(session);
    });
}

MigrationResult Migrator::rollback(RollbackOptions options) {
    return recorded([&] {
        Session session(connection_, options_);
        return migrateDown(session, options);
    });
}

MigrationResult Migrator::reset() { return rollback({.batch = 0}); }

MigrationResult Migrator::refresh() {
    return recorded([&] {
        Session session(connection_, options_);
        migrateDown(session, {.batch = 0});
        return migrateUp(session);
    });
}

MigrationResult Migrator::fresh() {
    return recorded([&] {
        Session session(connection_, options_);
        if (!options_.dryRun) {
            const auto& d = connection_.dialect();
            connection_.transaction([&](Transaction& trx) {
                if (!d.deferForeignKeysSQL().empty()) trx.execute(detail::Statement{.sql = std::string(d.deferForeignKeysSQL())});
                Schema schema(trx);
                for (const Row& t : trx.execute(detail::Statement{.sql = d.listTablesSQL()}))
                    schema.dropTableIfExists(t.get<std::string>("name"), /*cascade=*/true);
            });
            session.book.prepare();
        }
        return migrateUp(session);
    });
}

MigrationResult Migrator::migrateUp(Session& session) {
    result_.files.clear();
    const int64_t batch = session.book.latestBatch() + 1;
    std::set<std::string> done;
    for (auto& r : session.book.above(0)) done.insert(std::move(r.name));
    for (const auto& name : migrations_.names())
        if (!done.count(name)) result_.files.push_back(MigratedFile{.name = name, .batch = batch, .status = "pending"});
    for (auto& file : result_.files) execute(session, file, true);
    return result_;
}

MigrationResult Migrator::migrateDown(Session& session, RollbackOptions options) {
    result_.files.clear();
    if (options.batch && *options.batch < 0)
        throw Error("E_INVALID_ROLLBACK", "Cannot roll back to batch " + std::to_string(*options.batch) + ": batches start at 0");
    if (options.step && *options.step < 0)
        throw Error("E_INVALID_ROLLBACK", "Cannot roll back " + std::to_string(*options.step) + " steps: a step is a positive count");
    const int64_t step = options.step.value_or(0);
    const int64_t above = options.batch ? *options.batch : step > 0 ? 0 : session.book.latestBatch() - 1;
    auto recorded = session.book.above(above);
    // nothing is rolled back while any of them cannot be
    for (const auto& r : recorded)
        if (!migrations_.contains(r.name))
            throw MigrationError("E_MISSING_SCHEMA_FILES", "Cannot perform rollback. Schema file \"" + r.name + "\" is missing");
    if (step > 0 && recorded.size() > static_cast<std::size_t>(step)) recorded.resize(static_cast<std::size_t>(step));
    for (const auto& r : recorded) result_.files.push_back(MigratedFile{.name = r.name, .batch = r.batch, .status = "pending"});
    for (auto& file : result_.files) execute(session, file, false);
    return result_;
}

// The migration's statements and its bookkeeping row commit together, or neither does.
void Migrator::execute(Session& session, MigratedFile& file, bool up) {
    auto report = [&] {
        if (options_.onFile) options_.onFile(file);
    };
    report();
    try {
        auto migration = migrations_.create(file.name);
        auto apply = [&](QueryClient& client, Schema& schema) {
            up ? migration->up(schema) : migration->down(schema);
            if (up) session.book.record(client, file.name, file.batch);
            else session.book.forget(client, file.name);
        };
        if (options_.dryRun) {
            Schema schema(connection_, file.queries);
            up ? migration->up(schema) : migration->down(schema);
        } else if (migration->disableTransactions()) {
            Schema schema(connection_);
            apply(connection_, schema);
        } else {
            auto inTransaction = [&](Transaction& trx) {
                Schema schema(trx);
                apply(trx, schema);
            };
            try {
                connection_.transaction(inTransaction);
            } catch (const Error& e) {
                // a table rebuild that other tables' foreign key actions would reach: nothing of it ran, and
                // it runs once more with those actions off where the dialect can do that
                const auto guard = connection_.dialect().rebuildGuard();
                if (e.code() != "E_UNSAFE_REBUILD" || guard.before.empty()) throw;
                migration = migrations_.create(file.name);
                runGuarded(connection_, guard, file.name, inTransaction);
            }
        }
        file.status = "completed";
    } catch (const std::exception& e) {
        file.status = "error";
        file.queries.clear();
        result_.error = e.what();
        report();
        throw;
    }
    report();
}

std::vector<MigrationStatus> Migrator::status() {
    detail::Bookkeeping book(connection_, options_.tableName);
    book.prepare();
    auto recorded = book.above(0);
    std::vector<MigrationStatus> list;
    std::set<std::string> shipped;
    for (const auto& name : migrations_.names()) {
        shipped.insert(name);
        MigrationStatus s{.name = name, .status = "pending"};
        for (const auto& r : recorded)
            if (r.name == name) s = MigrationStatus{name, "migrated", r.batch, r.migratedAt};
        list.push_back(std::move(s));
    }
    for (const auto& r : recorded)
        if (!shipped.count(r.name)) list.push_back(MigrationStatus{r.name, "corrupt", r.batch, r.migratedAt});
    return list;
}

}  // namespace lucid
