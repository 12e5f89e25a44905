#pragma once
// Lucid's migration lock: PostgreSQL's advisory lock 1, held by one connection for the whole run.
#include <lucid/database.hpp>

#include <optional>

namespace lucid::detail {

class MigrationLock {
public:
    // Throws MigrationError E_UNABLE_ACQUIRE_LOCK when another runner holds it; a no-op where the
    // dialect has no such lock.
    explicit MigrationLock(Connection& connection);
    ~MigrationLock();
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    // A session-level lock belongs to one server connection: this transaction keeps its lease
    // (and nothing else: it takes no lock on any table) until the lock is released.
    std::optional<Transaction> holder_;
};

}  // namespace lucid::detail
