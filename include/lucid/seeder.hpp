#pragma once
// Seeders: code that fills a database with the rows an application needs (`db:seed`), each run in a
// transaction of its own.
#include <lucid/query_client.hpp>

#include <lucid/detail/named_factories.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lucid {

class Seeder {
public:
    virtual ~Seeder() = default;
    // Runs on `client`: a transaction that commits when run returns and rolls back when it throws.
    virtual void run(QueryClient& client) = 0;
};

// What the application ships: seeders by name, run in name order.
class Seeders {
public:
    using Factory = std::function<std::unique_ptr<Seeder>()>;

    template <class S> Seeders& add(std::string name) {
        return addFactory(std::move(name), [] { return std::unique_ptr<Seeder>(std::make_unique<S>()); });
    }
    // An empty or already added name throws lucid::Error (E_INVALID_SEEDER).
    Seeders& addFactory(std::string name, Factory make);

    std::vector<std::string> names() const;  // in name order
    bool contains(const std::string& name) const { return entries_.contains(name); }
    std::unique_ptr<Seeder> create(const std::string& name) const;  // lucid::Error when unknown
    std::size_t size() const { return entries_.size(); }

    // Runs the named seeder in a transaction of `client`'s: a failing seeder leaves nothing of its own.
    void run(const std::string& name, QueryClient& client) const;

private:
    detail::NamedFactories<Seeder> entries_{"seeder"};
};

}  // namespace lucid
