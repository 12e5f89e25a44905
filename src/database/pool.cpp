#include "database/pool.hpp"

#include <lucid/errors.hpp>

#include <algorithm>
#include <chrono>
#include <optional>

namespace lucid::detail {

Pool::Pool(std::string name, Factory factory, PoolOptions options)
    : name_(std::move(name)), factory_(std::move(factory)), options_(options) {
    if (options_.max < 1) throw ConnectionError("pool \"" + name_ + "\": max must be at least 1");
    if (options_.min < 0 || options_.min > options_.max)
        throw ConnectionError("pool \"" + name_ + "\": min must be between 0 and max");
    // Open one connection now (or `min`), so a bad URL, host or password fails here and not at the first query.
    for (int i = 0; i < std::max(1, options_.min); ++i) {
        idle_.push_back(factory_());
        ++open_;
    }
}

Pool::Lease Pool::acquire() {
    std::unique_lock lock(m_);
    const auto self = std::this_thread::get_id();
    std::optional<std::chrono::steady_clock::time_point> deadline;  // read the clock only when there is a wait
    for (;;) {
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            // one that died while idle is dropped here, and costs no user query
            if (!c->alive()) {
                --open_;
                continue;
            }
            owners_.push_back(self);
            return Lease(this, std::move(c));
        }
        if (open_ < options_.max) {
            ++open_;
            owners_.push_back(self);
            lock.unlock();
            try {
                return Lease(this, factory_());
            } catch (...) {
                lock.lock();
                --open_;
                owners_.erase(std::find(owners_.begin(), owners_.end(), self));
                cv_.notify_one();
                throw;
            }
        }
        if (std::count(owners_.begin(), owners_.end(), self) >= open_)
            throw PoolBusy("every connection of \"" + name_ + "\" (max " + std::to_string(options_.max) +
                                  ") is held by this thread, for example by an open transaction: run the query "
                                  "through that transaction, or raise pool.max");
        if (!deadline) deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquireTimeoutMs);
        ++waiting_;
        const auto waited = cv_.wait_until(lock, *deadline);
        --waiting_;
        // knex's words, which Lucid users know, then what they need to act on
        if (waited == std::cv_status::timeout && idle_.empty() && open_ >= options_.max)
            throw PoolBusy("Timeout acquiring a connection. The pool is probably full: connection \"" + name_ +
                                  "\", pool max " + std::to_string(options_.max) + ", all in use, " +
                                  std::to_string(waiting_) + " other thread(s) waiting, waited " +
                                  std::to_string(options_.acquireTimeoutMs) +
                                  " ms (pool.acquireTimeoutMs). Raise pool.max, or find what holds connections "
                                  "(db.report() shows the pool)");
    }
}

void Pool::release(std::unique_ptr<DriverConnection> c, std::thread::id owner) {
    {
        std::lock_guard lock(m_);
        if (auto it = std::find(owners_.begin(), owners_.end(), owner); it != owners_.end()) owners_.erase(it);
        if (c->healthy()) idle_.push_back(std::move(c));
        else --open_;
    }
    cv_.notify_one();
}

int Pool::size() const {
    std::lock_guard lock(m_);
    return open_;
}

int Pool::idle() const {
    std::lock_guard lock(m_);
    return static_cast<int>(idle_.size());
}

PoolReport Pool::report() {
    std::unique_ptr<DriverConnection> c;
    PoolReport r;
    {
        std::lock_guard lock(m_);
        r = {.max = options_.max, .size = open_, .inUse = open_ - static_cast<int>(idle_.size()),
             .idle = static_cast<int>(idle_.size()), .waiting = waiting_};
        if (!idle_.empty()) {
            c = std::move(idle_.back());
            idle_.pop_back();
        }
    }
    if (c && !c->alive()) {  // died while idle: the check asks a new connection, as acquire() would
        c.reset();
        std::lock_guard lock(m_);
        --open_;
    }
    const bool pooled = c != nullptr;
    try {
        if (!c) c = factory_();
        c->execute(Statement{.sql = "select 1", .preparable = false});
    } catch (const std::exception& e) {
        r.healthy = false;
        r.error = e.what();
    }
    if (pooled) {
        {
            std::lock_guard lock(m_);
            if (c->healthy()) idle_.push_back(std::move(c));
            else --open_;
        }
        cv_.notify_one();
    }
    return r;
}

}  // namespace lucid::detail
