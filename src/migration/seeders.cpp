// The application's list of seeders, and running one in a transaction.
#include <lucid/seeder.hpp>
#include <lucid/transaction.hpp>

namespace lucid {

Seeders& Seeders::addFactory(std::string name, Factory make) {
    entries_.add(std::move(name), std::move(make));
    return *this;
}

std::vector<std::string> Seeders::names() const { return entries_.names(); }

std::unique_ptr<Seeder> Seeders::create(const std::string& name) const { return entries_.create(name); }

void Seeders::run(const std::string& name, QueryClient& client) const {
    auto seeder = create(name);
    client.transaction([&](Transaction& trx) { seeder->run(trx); });
}

}  // namespace lucid
