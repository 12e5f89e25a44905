// Database URLs: which driver a URL names, what it opens, and how it is shown without its password.
#include "database/driver.hpp"

#include <lucid/errors.hpp>

namespace lucid::detail {

namespace {
// "pgbouncer=true" is lucid's, not libpq's (which refuses query parameters it does not know): taken out.
ParsedUrl withoutPgbouncerOption(ParsedUrl p) {
    const auto query = p.target.find('?');
    if (query == std::string::npos) return p;
    std::string kept;
    bool found = false;
    std::size_t at = query + 1;
    while (at <= p.target.size()) {
        std::size_t end = p.target.find('&', at);
        if (end == std::string::npos) end = p.target.size();
        const std::string param = p.target.substr(at, end - at);
        if (param.rfind("pgbouncer=", 0) == 0) {
            found = true;
            const std::string v = param.substr(10);
            if (v != "true" && v != "false" && v != "1" && v != "0")
                // the value is not repeated: a malformed URL may have put a password there
                throw ConnectionError("the pgbouncer parameter of a PostgreSQL URL takes true or false (or 1 or 0)");
            p.preparedStatements = v == "false" || v == "0";
        } else if (!param.empty()) {
            kept += (kept.empty() ? "" : "&") + param;
        }
        at = end + 1;
    }
    if (found) p.target = p.target.substr(0, query) + (kept.empty() ? "" : "?" + kept);  // else libpq gets it as written
    return p;
}
}  // namespace

ParsedUrl parseUrl(const std::string& url) {
    // C APIs would stop reading at the NUL and open (or create) another file or database than the one named
    if (auto nul = url.find('\0'); nul != std::string::npos)
        throw ConnectionError("a database URL cannot contain a NUL byte (found at position " + std::to_string(nul) + ")");
    if (url.rfind("sqlite:", 0) == 0) {
        std::string target = url.substr(7);
        if (target.rfind("//", 0) == 0) target = target.substr(2);
        if (target.empty()) throw ConnectionError("the SQLite URL \"" + url + "\" names no file: use sqlite:path or sqlite::memory:");
        bool memory = target == ":memory:";
        return ParsedUrl{ParsedUrl::Kind::Sqlite, target, memory};
    }
    if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
        if (url.find('@') == std::string::npos && url.find('/', url.find("//") + 2) == std::string::npos &&
            url.size() <= std::string("postgresql://").size())
            throw ConnectionError("the PostgreSQL URL \"" + redactUrl(url) + "\" names no host");
        return withoutPgbouncerOption(ParsedUrl{ParsedUrl::Kind::Postgres, url, false});
    }
    throw ConnectionError("unsupported database URL \"" + redactUrl(url) +
                          "\": use sqlite::memory:, sqlite:path or postgres://user:password@host:port/database");
}

std::string redactUrl(const std::string& url) {
    auto scheme = url.find("://");
    auto at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    auto colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace lucid::detail
