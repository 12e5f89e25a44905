#pragma once
// Lucid's record of what ran: <table> (id, name, batch, migration_time) and <table>_versions (version).
#include <lucid/database.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lucid::detail {

struct RecordedMigration {
    int64_t id = 0;
    std::string name;
    int64_t batch = 0;
    std::optional<DateTime> migratedAt;
};

class Bookkeeping {
public:
    Bookkeeping(QueryClient& client, std::string table) : client_(client), table_(std::move(table)) {}

    // Creates both tables when missing (also in a dry run, as Lucid does: what ran is read from them)
    // and brings the versions table to Lucid's version 2.
    void prepare();
    int64_t latestBatch();
    // Newest first (by id), the ones of batches above `batch`.
    std::vector<RecordedMigration> above(int64_t batch);
    void record(QueryClient& client, const std::string& name, int64_t batch);
    void forget(QueryClient& client, const std::string& name);

private:
    void ensureTable();
    void ensureVersions();
    QueryClient& client_;
    std::string table_;
};

}  // namespace lucid::detail
