#pragma once
// The state of an open transaction or savepoint, shared by its Transaction handles and by models.
#include "database/pool.hpp"

#include <memory>
#include <string>

namespace lucid::detail {

struct TransactionCore {
    Connection* connection = nullptr;
    std::shared_ptr<Pool::Lease> lease;  // shared with savepoints
    std::shared_ptr<TransactionCore> parent;
    std::string savepoint;  // empty for the outermost transaction
    bool completed = false;
    int savepoints = 0;

    bool isOpen() const;  // this and every enclosing transaction still open
};

// Runs one statement on a driver connection, timing it and telling the listeners.
Result runStatement(Connection& connection, DriverConnection& driver, const Statement& st, bool inTransaction);

}  // namespace lucid::detail
