#pragma once
// A driver connection runs statements that are already in its dialect's placeholders and marked with
// how they may be run. Drivers know nothing of query trees and never read the SQL text to decide
// anything; the C headers of the client libraries stay inside their driver's .cpp.
#include "database/statement.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace lucid::detail {

class Dialect;

// A SELECT's rows pulled one at a time (a cursor). The statement holds its connection until the reader
// is destroyed, read to the end or not: the destructor leaves the connection ready for the next statement.
class RowReader {
public:
    virtual ~RowReader() = default;
    virtual const std::vector<std::string>& columns() const = 0;
    virtual uint64_t shape() const { return 0; }  // as RowSink::begin's
    virtual const Cell* next() = 0;              // the next row's cells, valid until the next call; nullptr at the end
};
// The rows of a Result already read, as a reader.
std::unique_ptr<RowReader> readResult(Result r);

class DriverConnection {
public:
    virtual ~DriverConnection() = default;
    virtual Result execute(const Statement& statement) = 0;
    // Rows one by one to `sink`; by default through execute().
    virtual void stream(const Statement& statement, RowSink& sink);
    // Rows one by one as the caller asks; by default every row is read first (execute()).
    virtual std::unique_ptr<RowReader> read(const Statement& statement);
    // False once the connection is unusable (server gone); the pool then drops it.
    virtual bool healthy() const { return true; }
    // Asked before the pool hands out an idle connection: false when it can no longer serve (the server
    // closed it, the file it was opened on is gone), so that no user query is spent finding out.
    virtual bool alive() { return healthy(); }
    // False when the server holds no open transaction on this connection (it ended one by itself).
    virtual bool inTransaction() const = 0;
    // The statements run from now on are stopped past `limit` with QueryTimeout (0: no limit again).
    virtual void setTimeout(std::chrono::milliseconds limit) = 0;
};

struct ParsedUrl {
    enum class Kind { Sqlite, Postgres } kind;
    std::string target;  // file path / ":memory:" / libpq connection URI
    bool memory = false;
    bool preparedStatements = true;  // false: ?pgbouncer=true (taken out of the target)
};
ParsedUrl parseUrl(const std::string& url);  // throws ConnectionError
std::string redactUrl(const std::string& url);

std::unique_ptr<DriverConnection> openSqlite(const std::string& path);
std::unique_ptr<DriverConnection> openPostgres(const std::string& conninfo, bool preparedStatements);
const Dialect& dialectFor(ParsedUrl::Kind kind);

}  // namespace lucid::detail
