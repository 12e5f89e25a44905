#pragma once
// The state of an open transaction or savepoint, shared by its Transaction handles and by models.
#include "database/connection_core.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lucid::detail {

struct TransactionCore {
    ConnectionCore* connection = nullptr;
    // Only the outermost transaction holds the connection; savepoints reach it through their parents,
    // so it goes back to the pool as soon as the outermost one ends, whatever handles remain.
    std::unique_ptr<Pool::Lease> lease;
    std::shared_ptr<TransactionCore> parent;
    std::string savepoint;  // empty for the outermost transaction
    bool completed = false;

    // The rest is kept by the outermost transaction only (see root()).
    int savepoints = 0;  // savepoints made so far: the next one's name, unique at every nesting level
    // The error of a statement that failed. PostgreSQL then refuses everything but a rollback (to a
    // savepoint made before the failure), and lucid holds SQLite to the same rule, so that neither
    // database ever commits a transaction with a failed statement in it.
    std::string failure;
    bool lost = false;  // the connection died: the server rolled the transaction back, the lease is gone
    // after("commit" | "rollback") callbacks of every level, with the savepoints that hold the level that
    // registered each: a savepoint's rollback settles exactly the callbacks made inside it.
    struct After {
        bool onCommit;
        std::vector<std::string> within;
        std::function<void()> fn;
    };
    std::vector<After> after;
    // Run on the connection once the outermost transaction ended, before it goes back to the pool.
    std::vector<std::string> onEnd;

    TransactionCore& root();
    DriverConnection& driver();
    bool isOpen() const;  // this and every enclosing transaction still open
};

// Runs `before` on the connection of `trx` outside any transaction (settings a transaction ignores, such as
// SQLite's PRAGMA foreign_keys), and `after` once it ended. `trx` is an outermost transaction begun without
// an isolation level that has run nothing yet: its empty beginning is committed and begun again.
void runAroundTransaction(Transaction& trx, const std::vector<std::string>& before, std::vector<std::string> after);

}  // namespace lucid::detail
