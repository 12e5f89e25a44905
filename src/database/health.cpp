// db.report(): Lucid's health check of every connection, with its pools' counts, for a health endpoint.
#include <lucid/database.hpp>
#include <lucid/json.hpp>

#include "database/connection_core.hpp"

namespace lucid {

ConnectionReport Connection::report() {
    ConnectionReport r;
    r.connection = name_;
    r.pool = core_->primary->report();
    r.replicas = core_->reads->report();
    // Lucid's messages, and the first failure's error
    if (!r.pool.healthy) {
        r.message = "Unable to reach the database server";
        r.error = r.pool.error;
    } else {
        for (const auto& replica : r.replicas)
            if (!replica.healthy) {
                r.message = "Unable to reach one of the read hosts";
                r.error = replica.error;
                break;
            }
    }
    r.healthy = r.error.empty();
    if (r.healthy) r.message = "Connection is healthy";
    return r;
}

HealthReport Database::report() {
    HealthReport r;
    for (auto& [name, connection] : connections_) {
        r.connections.push_back(connection->report());
        r.healthy = r.healthy && r.connections.back().healthy;
    }
    r.message = r.healthy ? "All connections are healthy" : "One or more connections are not healthy";
    return r;
}

namespace {
nlohmann::json poolJson(const PoolReport& p) {
    nlohmann::json j{{"healthy", p.healthy}, {"max", p.max}, {"size", p.size}, {"inUse", p.inUse}, {"idle", p.idle}, {"waiting", p.waiting}};
    if (!p.healthy) j["error"] = p.error;
    return j;
}
}  // namespace

// Lucid's shape ({health: {healthy, message}, meta: [per connection]}), each connection with its pools
nlohmann::json HealthReport::toJSON() const {
    nlohmann::json meta = nlohmann::json::array();
    for (const auto& c : connections) {
        nlohmann::json replicas = nlohmann::json::array();
        for (const auto& p : c.replicas) replicas.push_back(poolJson(p));
        meta.push_back({{"connection", c.connection}, {"healthy", c.healthy}, {"message", c.message},
                        {"error", c.healthy ? nlohmann::json(nullptr) : nlohmann::json(c.error)},
                        {"pool", poolJson(c.pool)}, {"replicas", replicas}});
    }
    return {{"displayName", "Database"}, {"health", {{"healthy", healthy}, {"message", message}}}, {"meta", meta}};
}

}  // namespace lucid
