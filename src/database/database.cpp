// The Database: its named connections, its query listeners, and the process's default database.
#include <lucid/database.hpp>
#include <lucid/errors.hpp>

#include "database/events.hpp"

#include <atomic>

namespace lucid {

Database::Database(const std::string& url)
    : Database(DatabaseConfig{.connection = "primary", .connections = {{"primary", ConnectionConfig{.url = url}}}}) {}

Database::Database(DatabaseConfig config) : defaultName_(config.connection), events_(std::make_shared<detail::EventHub>()) {
    if (config.connections.empty()) throw ConnectionError("DatabaseConfig has no connections");
    if (defaultName_.empty()) {
        if (config.connections.size() != 1)
            throw ConnectionError("DatabaseConfig.connection must name the default of its " +
                                  std::to_string(config.connections.size()) + " connections");
        defaultName_ = config.connections.begin()->first;
    }
    if (!config.connections.count(defaultName_))
        throw ConnectionError("DatabaseConfig.connection names \"" + defaultName_ + "\", which is not among its connections");
    for (auto& [name, cc] : config.connections) connections_.emplace(name, std::make_unique<Connection>(*this, name, cc));
    default_ = connections_.find(defaultName_)->second.get();
}

namespace {
std::atomic<Database*> g_default{nullptr};
}

// A destroyed database stops being the default, so models fail clearly instead of dangling.
Database::~Database() {
    Database* self = this;
    g_default.compare_exchange_strong(self, nullptr);
}

Connection& Database::connection() { return *default_; }

Connection& Database::connection(std::string_view name) {
    auto it = connections_.find(name);
    if (it == connections_.end()) throw ConnectionError("unknown connection \"" + std::string(name) + "\"");
    return *it->second;
}

const detail::Dialect& Database::dialect() const { return default_->dialect(); }

QuerySubscription Database::onQuery(std::function<void(const QueryEvent&)> listener) {
    return QuerySubscription(events_, events_->add(std::move(listener)));
}

void useDatabase(Database& db) { g_default = &db; }
Database& defaultDatabase() {
    Database* db = g_default.load();
    if (!db) throw ConnectionError("no database: call lucid::useDatabase(db) first, or pass a QueryClient");
    return *db;
}

}  // namespace lucid
