// detail::parseUrl and redactUrl on arbitrary text: a ParsedUrl or a ConnectionError, and a URL's
// password never in what redactUrl returns (it goes into error messages and logs).
#include "check.hpp"
#include "database/driver.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using lucid_fuzz::fail;

namespace {

// The password of scheme://user:password@host..., as redactUrl reads it (up to the first '@').
std::string passwordOf(const std::string& url) {
    auto scheme = url.find("://");
    if (scheme == std::string::npos) return {};
    auto at = url.find('@', scheme + 3);
    auto colon = url.find(':', scheme + 3);
    if (at == std::string::npos || colon == std::string::npos || colon > at) return {};
    return url.substr(colon + 1, at - colon - 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string url(reinterpret_cast<const char*>(data), size);
    lucid::detail::ParsedUrl parsed{};
    std::string message;
    bool ok = lucid_fuzz::allows<lucid::ConnectionError>("parseUrl", [&] {
        try {
            parsed = lucid::detail::parseUrl(url);
        } catch (const lucid::ConnectionError& e) {
            message = e.what();
            throw;
        }
    });
    const bool postgres = url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
    if (ok) {
        if (parsed.kind == lucid::detail::ParsedUrl::Kind::Sqlite) {
            if (parsed.target.empty()) fail("parseUrl: a SQLite URL with no file name was accepted");
            // a C API cuts the name at the first NUL: a name with one would open another file
            if (parsed.target.find('\0') != std::string::npos)
                fail("parseUrl: a SQLite file name with a NUL byte was accepted");
            if (parsed.memory != (parsed.target == ":memory:")) fail("parseUrl: memory flag and target disagree");
        } else if (!postgres) {
            fail("parseUrl: only a postgres:// URL is PostgreSQL's");
        } else if (url.find("pgbouncer=") == std::string::npos && parsed.target != url) {
            // only lucid's own parameter (pgbouncer=) is taken out; the rest goes to libpq as written
            fail("parseUrl: a PostgreSQL URL without pgbouncer= goes to libpq unchanged");
        }
    }
    const std::string redacted = lucid::detail::redactUrl(url);
    const std::string pw = passwordOf(url);
    // a password that appears nowhere else in the URL must be in neither the redacted URL nor the error
    if (postgres && pw.size() >= 3 && pw.find_first_not_of('*') != std::string::npos && url.find(pw) == url.rfind(pw)) {
        const std::size_t colon = url.find(':', url.find("://") + 3), at = url.find('@', colon);
        if (redacted != url.substr(0, colon + 1) + "***" + url.substr(at)) fail("redactUrl kept the password of " + url + ": " + redacted);
        if (message.find(pw) != std::string::npos) {
            // the same URL with another password: a message that still shows the text has it from elsewhere
            // (its own wording), not from the URL
            std::string other = url.substr(0, colon + 1) + std::string(pw.size(), '\x01') + url.substr(at);
            std::string otherMessage;
            try {
                lucid::detail::parseUrl(other);
            } catch (const lucid::ConnectionError& e) {
                otherMessage = e.what();
            }
            if (otherMessage.find(pw) == std::string::npos) fail("parseUrl's error shows the password of " + url);
        }
    }
    return 0;
}
