#pragma once
// A driver connection runs SQL that is already in its dialect's placeholders. Drivers know nothing
// of query trees; the C headers of the client libraries stay inside their driver's .cpp.
#include <lucid/query_client.hpp>
#include <lucid/result.hpp>

#include <memory>
#include <string>

namespace lucid::detail {

class Dialect;

class DriverConnection {
public:
    virtual ~DriverConnection() = default;
    virtual Result execute(const std::string& sql, const Bindings& bindings) = 0;
    // Rows one by one to `sink`; by default through execute().
    virtual void stream(const std::string& sql, const Bindings& bindings, RowSink& sink);
    // False once the connection is unusable (server gone); the pool then drops it.
    virtual bool healthy() const { return true; }
};

struct ParsedUrl {
    enum class Kind { Sqlite, Postgres } kind;
    std::string target;  // file path / ":memory:" / libpq connection URI
    bool memory = false;
};
ParsedUrl parseUrl(const std::string& url);  // throws ConnectionError
std::string redactUrl(const std::string& url);

std::unique_ptr<DriverConnection> openSqlite(const std::string& path);
std::unique_ptr<DriverConnection> openPostgres(const std::string& conninfo);
const Dialect& dialectFor(ParsedUrl::Kind kind);

}  // namespace lucid::detail
