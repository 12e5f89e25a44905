// Read replicas in turn, one that is down left out and tried again later, and sticky reads after writes.
#include "database/read_routing.hpp"

#include <lucid/errors.hpp>

#include <iostream>

namespace lucid::detail {

void ReadRouting::addReplica(std::string shownUrl, OpenPool open) {
    Replica r{.shown = std::move(shownUrl), .open = std::move(open)};
    try {
        r.pool = r.open();
    } catch (const ConnectionError& e) {
        markDown(r, e.what());
    }
    replicas_.push_back(std::move(r));
}

Pool* ReadRouting::replica() {
    if (replicas_.empty()) return nullptr;
    if (stickyFor_.count() > 0 &&
        now() - lastWrite_.load(std::memory_order_relaxed) < std::chrono::nanoseconds(stickyFor_).count())
        return nullptr;
    std::unique_lock lock(m_);
    for (std::size_t tried = 0; tried < replicas_.size(); ++tried) {
        Replica& r = replicas_[next_++ % replicas_.size()];
        if (r.opening || now() < r.downUntil) continue;
        if (r.pool) return r.pool.get();
        // never opened (down since the start): connect without holding up the other threads' reads
        r.opening = true;
        lock.unlock();
        std::unique_ptr<Pool> pool;
        std::string why;
        try {
            pool = r.open();
        } catch (const ConnectionError& e) {
            why = e.what();
        }
        lock.lock();
        r.opening = false;
        if (!pool) {
            markDown(r, why);
            continue;
        }
        r.pool = std::move(pool);
        return r.pool.get();
    }
    return nullptr;
}

void ReadRouting::failed(Pool& pool, const std::string& why) {
    std::lock_guard lock(m_);
    for (Replica& r : replicas_)
        if (r.pool.get() == &pool) markDown(r, why);
}

std::vector<PoolReport> ReadRouting::report() {
    // the pools' own checks run a query: not under the lock every read takes (an opened pool stays)
    std::vector<std::pair<Pool*, std::string>> seen;
    {
        std::lock_guard lock(m_);
        for (Replica& r : replicas_) seen.emplace_back(r.pool.get(), r.lastError);
    }
    std::vector<PoolReport> out;
    for (auto& [pool, error] : seen) {
        if (pool) out.push_back(pool->report());
        else out.push_back(PoolReport{.healthy = false, .error = error.empty() ? "not connected yet" : error});
    }
    return out;
}

void ReadRouting::markDown(Replica& r, const std::string& why) {
    r.lastError = why;
    r.downUntil = now() + std::chrono::nanoseconds(retryAfter_).count();
    std::cerr << "[lucid:" << name_ << "] warning: read replica " << r.shown << " cannot serve reads (" << why
              << "); they go to the primary, and the replica is tried again in " << retryAfter_.count() << " ms\n";
}

}  // namespace lucid::detail
