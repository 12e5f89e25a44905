// The application's list of seeders, and running one in a transaction.
#include <lucid/errors.hpp>
#include <lucid/seeder.hpp>
#include <lucid/transaction.hpp>

namespace lucid {

Seeders& Seeders::addFactory(std::string name, Factory make) {
    if (name.empty()) throw Error("E_INVALID_SEEDER", "A seeder needs a name");
    if (entries_.count(name)) throw Error("E_INVALID_SEEDER", "Seeder \"" + name + "\" is added twice");
    entries_.emplace(std::move(name), std::move(make));
    return *this;
}

std::vector<std::string> Seeders::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& [name, make] : entries_) out.push_back(name);
    return out;
}

std::unique_ptr<Seeder> Seeders::create(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw Error("E_INVALID_SEEDER", "No seeder named \"" + name + "\"");
    return it->second();
}

void Seeders::run(const std::string& name, QueryClient& client) const {
    auto seeder = create(name);
    client.transaction([&](Transaction& trx) { seeder->run(trx); });
}

}  // namespace lucid
