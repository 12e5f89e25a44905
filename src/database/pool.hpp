#pragma once
// A thread-safe pool of driver connections: a thread waiting for one waits, up to a timeout.
#include "database/driver.hpp"

#include <lucid/database.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lucid::detail {

// The pool had no connection to give (all leased past the wait, or all held by the asking thread): its
// server may be fine. A ConnectionError to the user; the read routing does not take its replica for down.
struct PoolBusy : ConnectionError {
    using ConnectionError::ConnectionError;
};

class Pool {
public:
    using Factory = std::function<std::unique_ptr<DriverConnection>()>;
    Pool(std::string name, Factory factory, PoolOptions options);

    class Lease {
    public:
        Lease(Pool* pool, std::unique_ptr<DriverConnection> c)
            : pool_(pool), c_(std::move(c)), owner_(std::this_thread::get_id()) {}
        Lease(Lease&&) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (c_) pool_->release(std::move(c_), owner_);
        }
        DriverConnection& operator*() const { return *c_; }
        DriverConnection* operator->() const { return c_.get(); }

    private:
        Pool* pool_;
        std::unique_ptr<DriverConnection> c_;
        std::thread::id owner_;
    };

    Lease acquire();
    int size() const;  // open connections, idle or leased
    int idle() const;
    // For a health check: its counts now, and whether its server answers `select 1`, asked on an idle
    // connection or, when none is idle, on a new one outside the pool (a busy pool is not a sick one, and
    // the check never waits for a lease).
    PoolReport report();

private:
    void release(std::unique_ptr<DriverConnection> c, std::thread::id owner);

    std::string name_;
    Factory factory_;
    PoolOptions options_;
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<DriverConnection>> idle_;
    int open_ = 0;
    int waiting_ = 0;  // threads in acquire() waiting for a release
    std::vector<std::thread::id> owners_;  // one entry per lease: refuses a wait that could never end
};

}  // namespace lucid::detail
