#include "migration/bookkeeping.hpp"

#include "sql/dialect.hpp"

#include <lucid/query.hpp>
#include <lucid/schema.hpp>

namespace lucid::detail {

void Bookkeeping::prepare() {
    ensureTable();
    ensureVersions();
}

// The columns are the ones Lucid's MigrationRunner creates (knex: increments, string, integer, timestamp).
void Bookkeeping::ensureTable() {
    Schema schema(client_);
    if (schema.hasTable(table_)) return;
    schema.createTable(table_, [](TableBuilder& t) {
        t.increments("id").notNullable();
        t.string("name").notNullable();
        t.integer("batch").notNullable();
        t.timestamp("migration_time").defaultToRaw("CURRENT_TIMESTAMP");
    });
}

void Bookkeeping::ensureVersions() {
    const std::string versions = table_ + "_versions";
    Schema schema(client_);
    if (!schema.hasTable(versions))
        schema.createTable(versions, [](TableBuilder& t) { t.integer("version").unsigned_().primary(); });
    std::optional<Row> row = client_.from(versions).select("version").first();
    if (row && row->get<int64_t>("version") >= 2) return;
    // Lucid's upgrade from version 1: names recorded with Windows separators get forward slashes
    client_.transaction([&](Transaction& trx) {
        // insert() returns an id, and this table has none
        if (!row) trx.rawQuery("insert into " + trx.dialect().quoted(versions) + " (version) values (?)", {1});
        for (const Row& r : trx.from(table_).select("id", "name").exec()) {
            std::string name = r.get<std::string>("name");
            if (name.find('\\') == std::string::npos) continue;
            for (char& c : name)
                if (c == '\\') c = '/';
            trx.from(table_).where("id", r.get<int64_t>("id")).update({{"name", name}});
        }
        trx.from(versions).where("version", 1).update({{"version", 2}});
    });
}

int64_t Bookkeeping::latestBatch() {
    Value max = client_.from(table_).max("batch");
    return max.isNull() ? 0 : max.as<int64_t>();
}

std::vector<RecordedMigration> Bookkeeping::above(int64_t batch) {
    std::vector<RecordedMigration> out;
    for (const Row& r : client_.from(table_)
                            .select("id", "name", "batch", "migration_time")
                            .where("batch", ">", batch)
                            .orderBy("id", Order::Desc)
                            .exec())
        out.push_back(RecordedMigration{r.get<int64_t>("id"), r.get<std::string>("name"), r.get<int64_t>("batch"),
                                        r.get<std::optional<DateTime>>("migration_time")});
    return out;
}

void Bookkeeping::record(QueryClient& client, const std::string& name, int64_t batch) {
    client.table(table_).insert({{"name", name}, {"batch", batch}});
}

void Bookkeeping::forget(QueryClient& client, const std::string& name) { client.from(table_).where("name", name).del(); }

}  // namespace lucid::detail
