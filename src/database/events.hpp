#pragma once
// Query listeners of a Database; emitting costs one atomic load when nobody listens.
#include <lucid/query_client.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace lucid::detail {

struct EventHub {
    using Listener = std::function<void(const QueryEvent&)>;
    std::mutex m;
    std::shared_ptr<const std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>> listeners =
        std::make_shared<std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>>();
    std::atomic<bool> any{false};
    std::size_t nextId = 1;

    std::size_t add(Listener l);
    void remove(std::size_t id);
    void emit(const QueryEvent& e);
};

}  // namespace lucid::detail
