#pragma once
// A PostgreSQL server of the test's own, in a temporary folder on a free port, which the test may restart
// (the shared server of LUCID_TEST_PG_URL is never stopped). As scripts/with-postgres.sh: initdb and pg_ctl
// from /usr/lib/postgresql/15/bin (or $PGBIN), run as the postgres user when the test runs as root.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace lucid_test {

// A loopback port nothing listens on now.
inline int freePort() {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    close(s);
    return port;
}

// Runs a shell command as the postgres user when the test runs as root (the server refuses root).
inline bool asPostgresUser(const std::string& command) {
    std::string escaped;
    for (char c : command) escaped += c == '\'' ? std::string("'\\''") : std::string(1, c);
    const std::string line = getuid() == 0 ? "su postgres -s /bin/sh -c '" + escaped + "'" : command;
    return std::system(line.c_str()) == 0;
}

class PrivatePostgres {
public:
    PrivatePostgres() {
        const char* bin = std::getenv("PGBIN");
        bin_ = bin && *bin ? bin : "/usr/lib/postgresql/15/bin";
        char dir[] = "/tmp/lucid-private-pg.XXXXXX";
        if (!mkdtemp(dir)) {
            error_ = "mkdtemp failed";
            return;
        }
        base_ = dir;
        port_ = freePort();
        std::system(("chmod 755 " + base_ + (getuid() == 0 ? " && chown postgres:postgres " + base_ : "")).c_str());
        if (!pg("'" + bin_ + "/initdb' -N -D '" + base_ + "/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >'" +
                base_ + "/initdb.log' 2>&1"))
            error_ = "initdb failed (see " + base_ + "/initdb.log)";
        else if (!ctl("start"))
            error_ = "the server did not start (see " + base_ + "/server.log)";
    }
    ~PrivatePostgres() {
        if (base_.empty()) return;
        pg("'" + bin_ + "/pg_ctl' -D '" + base_ + "/data' -m immediate stop >/dev/null 2>&1");
        std::system(("rm -rf '" + base_ + "'").c_str());
    }
    PrivatePostgres(const PrivatePostgres&) = delete;
    PrivatePostgres& operator=(const PrivatePostgres&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    std::string url() const { return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres"; }
    // mode: "fast" (backends told to end, a clean shutdown) or "immediate" (a crash, then recovery)
    bool restart(const std::string& mode) { return ctl("restart -m " + mode); }

private:
    bool ctl(const std::string& action) {
        return pg("'" + bin_ + "/pg_ctl' -D '" + base_ + "/data' -l '" + base_ + "/server.log' -o \"-h 127.0.0.1 -p " +
                  std::to_string(port_) + " -k '" + base_ + "' -c fsync=off\" -w " + action + " >/dev/null 2>&1");
    }
    bool pg(const std::string& command) const { return asPostgresUser(command); }

    std::string bin_, base_, error_;
    int port_ = 0;
};

}  // namespace lucid_test
