#pragma once
// What a named Connection holds inside: its pools, and the event hub its statements report to.
#include "database/events.hpp"
#include "database/pool.hpp"
#include "database/read_routing.hpp"
#include "database/statement.hpp"

#include <memory>
#include <vector>

namespace lucid::detail {

struct ConnectionCore {
    Connection& connection;
    EventHub& events;
    std::unique_ptr<Pool> primary;
    std::unique_ptr<ReadRouting> reads;  // the read replicas' pools, and whether reads are sticky now
    bool debug = false;  // print every statement to stderr
};

// Runs one statement on a driver connection, timing it and telling the listeners.
Result runStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction);
// The same, with the rows handed to `sink` as they come.
void streamStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction, RowSink& sink);
void feed(const Result& r, RowSink& sink);
// The same, with the rows pulled from the reader returned (src/database/row_reader.cpp).
std::unique_ptr<RowReader> readStatement(ConnectionCore& connection, DriverConnection& driver, const Statement& st, bool inTransaction);
// `reader`, keeping `lease` until it is destroyed (then the connection goes back to the pool).
std::unique_ptr<RowReader> leased(std::unique_ptr<Pool::Lease> lease, std::unique_ptr<RowReader> reader);

}  // namespace lucid::detail
