// Query listeners: the Database's event hub and the subscriptions that remove their listener.
#include <lucid/database.hpp>

#include "database/events.hpp"

#include <algorithm>

namespace lucid {
namespace detail {

std::size_t EventHub::add(Listener l) {
    std::lock_guard lock(m);
    auto next = std::make_shared<std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>>(*listeners);
    std::size_t id = nextId++;
    next->emplace_back(id, std::make_shared<Listener>(std::move(l)));
    listeners = std::move(next);
    any = true;
    return id;
}

void EventHub::remove(std::size_t id) {
    std::lock_guard lock(m);
    auto next = std::make_shared<std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>>(*listeners);
    std::erase_if(*next, [id](const auto& p) { return p.first == id; });
    any = !next->empty();
    listeners = std::move(next);
}

void EventHub::emit(const QueryEvent& e) {
    std::shared_ptr<const std::vector<std::pair<std::size_t, std::shared_ptr<Listener>>>> snapshot;
    {
        std::lock_guard lock(m);
        snapshot = listeners;
    }
    for (const auto& [id, l] : *snapshot) (*l)(e);
}
}  // namespace detail

QuerySubscription& QuerySubscription::operator=(QuerySubscription&& o) noexcept {
    if (this != &o) {
        unsubscribe();
        hub_ = std::move(o.hub_);
        id_ = o.id_;
    }
    return *this;
}
QuerySubscription::~QuerySubscription() { unsubscribe(); }
void QuerySubscription::unsubscribe() {
    if (auto hub = hub_.lock()) hub->remove(id_);
    hub_.reset();
}

}  // namespace lucid
