#pragma once
// The schema builder: createTable / alterTable / dropTable with knex's column kinds and DDL.
#include <lucid/query_client.hpp>
#include <lucid/table_builder.hpp>

#include <functional>
#include <string>
#include <vector>

namespace lucid {

class Schema {
public:
    explicit Schema(QueryClient& client) : client_(&client) {}
    // Collects the statements into `statements` instead of running them (a migration's dry run); the
    // catalog is still read where a statement depends on it (SQLite's table rebuilds).
    Schema(QueryClient& client, std::vector<std::string>& statements) : client_(&client), collected_(&statements) {}
    void createTable(const std::string& table, const std::function<void(TableBuilder&)>& build);
    void createTableIfNotExists(const std::string& table, const std::function<void(TableBuilder&)>& build);
    void alterTable(const std::string& table, const std::function<void(TableBuilder&)>& build);
    void dropTable(const std::string& table);
    void dropTableIfExists(const std::string& table);
    // cascade: also drop what depends on the table (PostgreSQL's foreign keys of other tables); SQLite has
    // no such dependency to drop, so there it is the plain form.
    void dropTableIfExists(const std::string& table, bool cascade);
    void renameTable(const std::string& from, const std::string& to);
    bool hasTable(const std::string& table);
    bool hasColumn(const std::string& table, const std::string& column);
    // A statement of your own, run as written (no bindings): data fixes, views, what the builder lacks.
    void raw(const std::string& sql);
    // The SQL a build would run, without running it.
    std::vector<std::string> createTableSQL(const std::string& table, const std::function<void(TableBuilder&)>& build) const;

private:
    void run(const std::vector<std::string>& statements);
    QueryClient* client_;
    std::vector<std::string>* collected_ = nullptr;
};

}  // namespace lucid
