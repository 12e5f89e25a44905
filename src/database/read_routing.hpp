#pragma once
// Where a connection's reads go: its read replicas in turn, leaving out for a while one that cannot
// answer, and to the primary for a while after a write when reads are sticky.
#include "database/pool.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lucid::detail {

class ReadRouting {
public:
    using OpenPool = std::function<std::unique_ptr<Pool>()>;
    ReadRouting(std::string connectionName, std::chrono::milliseconds stickyFor, std::chrono::milliseconds retryAfter)
        : name_(std::move(connectionName)), stickyFor_(stickyFor), retryAfter_(retryAfter) {}

    // Opens the replica's pool now; one that cannot be reached is left out (with a warning) and tried later.
    void addReplica(std::string shownUrl, OpenPool open);
    // A replica's pool to read from, or nullptr for the primary (no replica up, or sticky after a write).
    Pool* replica();
    // `pool` failed to serve a read with a ConnectionError: left out for retryAfter, with a warning.
    void failed(Pool& pool, const std::string& why);
    // A statement ran on the primary: reads stay there for stickyFor.
    void wrote() {
        if (stickyFor_.count() > 0) lastWrite_.store(now(), std::memory_order_relaxed);
    }
    bool empty() const { return replicas_.empty(); }
    // db.report(): each replica's pool, in the config's order; one never reached is unhealthy with its error
    std::vector<PoolReport> report();

private:
    struct Replica {
        std::string shown;  // its URL without the password, for warnings
        OpenPool open;
        std::unique_ptr<Pool> pool;  // null until it could be opened; then kept (its pointer is handed out)
        int64_t downUntil = 0;       // steady-clock nanoseconds; left out while now < downUntil
        bool opening = false;        // a thread is connecting to it: the others do not wait for that
        std::string lastError;       // why it was last left out
    };
    static int64_t now() { return std::chrono::steady_clock::now().time_since_epoch().count(); }
    void markDown(Replica& r, const std::string& why);  // under m_

    std::string name_;
    std::chrono::milliseconds stickyFor_, retryAfter_;
    std::atomic<int64_t> lastWrite_{INT64_MIN / 2};
    std::mutex m_;
    std::vector<Replica> replicas_;  // filled at construction only: its size never changes afterwards
    std::size_t next_ = 0;           // round robin
};

}  // namespace lucid::detail
