#pragma once
// A PgBouncer of the test's own (Debian's pgbouncer), in transaction pooling mode on a free loopback port,
// in front of the PostgreSQL server of a URL: a few server connections shared by many clients, as in a
// common production deployment.
#include "support/private_postgres.hpp"

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace lucid_test {

class PrivatePgBouncer {
public:
    // serverUrl: postgres://user@host:port/db; poolSize: server connections per database and user
    PrivatePgBouncer(const std::string& serverUrl, int poolSize) {
        const auto at = serverUrl.find('@'), colon = serverUrl.find(':', at), slash = serverUrl.find('/', at);
        if (at == std::string::npos || colon == std::string::npos || slash == std::string::npos) {
            error_ = "cannot read host and port from " + serverUrl;
            return;
        }
        const std::string host = serverUrl.substr(at + 1, colon - at - 1), port = serverUrl.substr(colon + 1, slash - colon - 1);
        char dir[] = "/tmp/lucid-pgbouncer.XXXXXX";
        if (!mkdtemp(dir)) {
            error_ = "mkdtemp failed";
            return;
        }
        base_ = dir;
        port_ = freePort();
        std::ofstream(base_ + "/users.txt") << "\"postgres\" \"\"\n";
        std::ofstream(base_ + "/pgbouncer.ini")
            << "[databases]\n* = host=" << host << " port=" << port << "\n"
            << "[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = " << port_ << "\nunix_socket_dir =\n"
            << "auth_type = trust\nauth_file = " << base_ << "/users.txt\npool_mode = transaction\n"
            << "default_pool_size = " << poolSize << "\nmax_client_conn = 500\n"
            << "logfile = " << base_ << "/pgbouncer.log\npidfile = " << base_ << "/pgbouncer.pid\n";
        std::system(("chmod -R 755 " + base_ + (getuid() == 0 ? " && chown -R postgres:postgres " + base_ : "")).c_str());
        // Debian installs it in /usr/sbin, which su may leave out of the postgres user's PATH
        const std::string binary = access("/usr/sbin/pgbouncer", X_OK) == 0 ? "/usr/sbin/pgbouncer" : "pgbouncer";
        if (!asPostgresUser(binary + " -d '" + base_ + "/pgbouncer.ini' >'" + base_ + "/start.log' 2>&1")) {
            error_ = "pgbouncer did not start (is Debian's pgbouncer installed? see " + base_ + "/start.log)";
            return;
        }
        for (int i = 0; i < 100 && !std::ifstream(base_ + "/pgbouncer.pid"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ~PrivatePgBouncer() {
        if (base_.empty()) return;
        std::system(("kill $(cat '" + base_ + "/pgbouncer.pid' 2>/dev/null) 2>/dev/null; sleep 0.2; rm -rf '" + base_ + "'").c_str());
    }
    PrivatePgBouncer(const PrivatePgBouncer&) = delete;
    PrivatePgBouncer& operator=(const PrivatePgBouncer&) = delete;

    bool ok() const { return error_.empty(); }
    const std::string& error() const { return error_; }
    // the same database as the server URL, through the pooler
    std::string url(const std::string& serverUrl, const std::string& query = "") const {
        return "postgres://postgres@127.0.0.1:" + std::to_string(port_) + serverUrl.substr(serverUrl.find('/', serverUrl.find('@'))) + query;
    }

private:
    std::string base_, error_;
    int port_ = 0;
};

}  // namespace lucid_test
