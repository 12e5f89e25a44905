#include "migration/migration_lock.hpp"

#include "sql/dialect.hpp"

#include <lucid/errors.hpp>

namespace lucid::detail {

MigrationLock::MigrationLock(Connection& connection) {
    const auto sql = connection.dialect().advisoryLockSQL();
    if (sql.empty()) return;
    holder_.emplace(connection.transaction());
    Result r = holder_->execute(Statement{.sql = std::string(sql)});
    if (!r.empty() && r[0].get<bool>("locked")) return;
    holder_.reset();  // rolls back, giving the connection back
    throw MigrationError("E_UNABLE_ACQUIRE_LOCK", "Unable to acquire lock. Concurrent migrations are not allowed");
}

MigrationLock::~MigrationLock() {
    if (!holder_) return;
    try {
        holder_->execute(Statement{.sql = std::string(holder_->dialect().advisoryUnlockSQL())});
        holder_->commit();
    } catch (...) {
        // the connection is gone, and the server released the lock with it
    }
}

}  // namespace lucid::detail
