// lucid_memory lucid|raw [rows]: peak memory to hydrate `rows` (1,000,000) rows of a 4-column table from an
// SQLite in-memory database, through lucid-cpp (ModelQuery::all) or by hand into a vector of plain structs.
// Run one mode per process (bench/report.py does, and reads each child's ru_maxrss with wait4).
// Prints one JSON line: mode, rows, rss_after_seed_kb (the database alone), peak_kb (ru_maxrss), seconds.
#include <lucid/lucid.hpp>

#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

struct Item : lucid::BaseModel<Item> {
    int64_t id = 0;
    std::string name;
    int32_t score = 0;
    bool active = false;
    static void define(lucid::ModelDefinition<Item>& m) {
        m.column(&Item::id, "id", {.isPrimary = true});
        m.column(&Item::name, "name");
        m.column(&Item::score, "score");
        m.column(&Item::active, "active");
    }
};

struct ItemRow {
    int64_t id = 0;
    std::string name;
    int32_t score = 0;
    bool active = false;
};

std::string seedSql(long rows) {
    // names of 25+ characters: past std::string's small-buffer, as most real text is
    return "insert into items (name, score, active) with recursive s(i) as (select 1 union all select i + 1 from s where i < " +
           std::to_string(rows) + ") select 'item-number-' || i || '@example.com', i % 1000, i % 2 from s";
}
const char* kCreate = "create table items (id integer not null primary key autoincrement, name varchar(255) not null, "
                      "score integer not null, active boolean not null)";

long vmRssKb() {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || (std::strcmp(argv[1], "lucid") != 0 && std::strcmp(argv[1], "raw") != 0)) {
        std::cerr << "usage: lucid_memory lucid|raw [rows]\n";
        return 2;
    }
    const bool lucidMode = std::strcmp(argv[1], "lucid") == 0;
    const long rows = argc > 2 ? std::stol(argv[2]) : 1000000;
    long rssSeed = 0;
    std::size_t got = 0;
    int64_t check = 0;
    double seconds = 0;
    try {
        if (lucidMode) {
            lucid::Database db{"sqlite::memory:"};
            lucid::useDatabase(db);
            db.rawQuery(kCreate);
            db.rawQuery(seedSql(rows));
            rssSeed = vmRssKb();
            auto t0 = std::chrono::steady_clock::now();
            std::vector<Item> items = Item::query().all();
            seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            got = items.size();
            for (const auto& it : items) check += it.id + it.score + static_cast<int64_t>(it.name.size()) + it.active;
        } else {
            sqlite3* db = nullptr;
            sqlite3_open(":memory:", &db);
            sqlite3_exec(db, kCreate, nullptr, nullptr, nullptr);
            sqlite3_exec(db, seedSql(rows).c_str(), nullptr, nullptr, nullptr);
            rssSeed = vmRssKb();
            auto t0 = std::chrono::steady_clock::now();
            std::vector<ItemRow> items;
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(db, R"(select * from "items")", -1, &st, nullptr);
            while (sqlite3_step(st) == SQLITE_ROW) {
                items.push_back(ItemRow{sqlite3_column_int64(st, 0),
                                        std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)),
                                                    static_cast<std::size_t>(sqlite3_column_bytes(st, 1))),
                                        sqlite3_column_int(st, 2), sqlite3_column_int(st, 3) != 0});
            }
            sqlite3_finalize(st);
            seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            got = items.size();
            for (const auto& it : items) check += it.id + it.score + static_cast<int64_t>(it.name.size()) + it.active;
            sqlite3_close(db);
        }
    } catch (const std::exception& e) {
        std::cerr << "lucid_memory: " << e.what() << "\n";
        return 1;
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::cout << "{\"mode\": \"" << argv[1] << "\", \"rows\": " << got << ", \"rss_after_seed_kb\": " << rssSeed
              << ", \"peak_kb\": " << ru.ru_maxrss << ", \"seconds\": " << seconds << ", \"check\": " << check << "}\n";
    return got == static_cast<std::size_t>(rows) ? 0 : 1;
}
