// lucid_stream <url> seed <rows> | <url> raw|cursor|each|each_preload <rows>: big result sets (API.md §12).
// `seed` writes `rows` items with one tag each to the database of <url> (an SQLite file, or PostgreSQL);
// the other modes walk the items with id <= rows, one mode per process (bench/report.py runs each in a
// child): by hand with the driver's own streaming (sqlite3_step; libpq single-row mode), with cursor(),
// with each() (chunks of 1000), with each() and a hasMany preload per chunk.
// Prints one JSON line: mode, database, rows, rss_before_kb, peak_kb (VmHWM), seconds, ns_per_row.
#include <lucid/lucid.hpp>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

struct Tag;

struct Item : lucid::BaseModel<Item> {
    int64_t id = 0;
    std::string name;
    int32_t score = 0;
    bool active = false;
    lucid::HasMany<Tag> tags;
    static void define(lucid::ModelDefinition<Item>& m) {
        m.table("stream_items");
        m.column(&Item::id, "id", {.isPrimary = true});
        m.column(&Item::name, "name");
        m.column(&Item::score, "score");
        m.column(&Item::active, "active");
        m.hasMany(&Item::tags, "tags", {.foreignKey = "itemId"});
    }
};

struct Tag : lucid::BaseModel<Tag> {
    int64_t id = 0;
    int64_t itemId = 0;
    std::string label;
    static void define(lucid::ModelDefinition<Tag>& m) {
        m.table("stream_tags");
        m.column(&Tag::id, "id", {.isPrimary = true});
        m.column(&Tag::itemId, "itemId");
        m.column(&Tag::label, "label");
    }
};

struct ItemRow {
    int64_t id = 0;
    std::string name;
    int32_t score = 0;
    bool active = false;
};

const char* kSelect = "select id, name, score, active from stream_items where id <= $1 order by id";

// VmRSS (now) or VmHWM (the peak): of this process's own memory, unlike ru_maxrss, which Linux carries over
// from the parent process across exec (a Python parent's 15 MB would hide every figure below it).
long statusKb(const char* field) {
    std::ifstream f("/proc/self/status");
    for (std::string line; std::getline(f, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return 0;
}

void seed(lucid::Database& db, bool postgres, long rows) {
    db.schema().dropTableIfExists("stream_tags");
    db.schema().dropTableIfExists("stream_items");
    db.schema().createTable("stream_items", [](lucid::TableBuilder& t) {
        t.bigIncrements("id");
        t.string("name");
        t.integer("score");
        t.boolean("active");
    });
    db.schema().createTable("stream_tags", [](lucid::TableBuilder& t) {
        t.bigIncrements("id");
        t.bigInteger("item_id").index();
        t.string("label");
    });
    // names of 25+ characters: past std::string's small-buffer, as most real text is
    const std::string n = std::to_string(rows);
    const std::string series = postgres ? "select i from generate_series(1, " + n + ") i"
                                        : "with recursive s(i) as (select 1 union all select i + 1 from s where i < " + n + ") select i from s";
    const std::string truth = postgres ? "(i % 2 = 1)" : "i % 2";
    db.rawQuery("insert into stream_items (name, score, active) select 'item-number-' || i || '@example.com', i % 1000, " + truth +
                " from (" + series + ") as g");
    db.rawQuery("insert into stream_tags (item_id, label) select i, 'tag-of-item-' || i from (" + series + ") as g");
}

// The rows by hand, one at a time as the driver streams them, each into a struct that is then dropped.
int64_t rawSqlite(const std::string& path, long rows, long& got) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    std::string sql = kSelect;
    sql.replace(sql.find("$1"), 2, "?");
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    sqlite3_bind_int64(st, 1, rows);
    int64_t check = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ItemRow r{sqlite3_column_int64(st, 0),
                  std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)), static_cast<std::size_t>(sqlite3_column_bytes(st, 1))),
                  sqlite3_column_int(st, 2), sqlite3_column_int(st, 3) != 0};
        check += r.id + r.score + static_cast<int64_t>(r.name.size()) + r.active;
        ++got;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return check;
}

int64_t rawPostgres(const std::string& url, long rows, long& got) {
    PGconn* c = PQconnectdb(url.c_str());
    const std::string limit = std::to_string(rows);
    const char* values[] = {limit.c_str()};
    PQsendQueryParams(c, kSelect, 1, nullptr, values, nullptr, nullptr, 0);
    PQsetSingleRowMode(c);
    int64_t check = 0;
    while (PGresult* r = PQgetResult(c)) {
        if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
            ItemRow row{std::atoll(PQgetvalue(r, 0, 0)), std::string(PQgetvalue(r, 0, 1), static_cast<std::size_t>(PQgetlength(r, 0, 1))),
                        std::atoi(PQgetvalue(r, 0, 2)), PQgetvalue(r, 0, 3)[0] == 't'};
            check += row.id + row.score + static_cast<int64_t>(row.name.size()) + row.active;
            ++got;
        }
        PQclear(r);
    }
    PQfinish(c);
    return check;
}

int64_t sum(const Item& it) { return it.id + it.score + static_cast<int64_t>(it.name.size()) + it.active; }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: lucid_stream <url> seed|raw|cursor|each|each_preload <rows>\n";
        return 2;
    }
    const std::string url = argv[1], mode = argv[2];
    const long rows = std::stol(argv[3]);
    const bool postgres = url.rfind("postgres", 0) == 0;
    long got = 0;
    int64_t check = 0;
    long rssBefore = 0;
    double seconds = 0;
    try {
        lucid::Database db{url};
        lucid::useDatabase(db);
        if (mode == "seed") {
            seed(db, postgres, rows);
            return 0;
        }
        rssBefore = statusKb("VmRSS:");
        auto t0 = std::chrono::steady_clock::now();
        if (mode == "raw") {
            check = postgres ? rawPostgres(url, rows, got) : rawSqlite(url.substr(std::strlen("sqlite:")), rows, got);
        } else if (mode == "cursor") {
            for (Item& it : Item::query().where(&Item::id, "<=", rows).orderBy(&Item::id).cursor()) check += sum(it), ++got;
        } else if (mode == "each") {
            Item::query().where(&Item::id, "<=", rows).each([&](Item& it) { check += sum(it), ++got; }, 1000);
        } else if (mode == "each_preload") {
            Item::query().where(&Item::id, "<=", rows).preload(&Item::tags).each([&](Item& it) {
                check += sum(it) + static_cast<int64_t>(it.tags.size() == 1 ? it.tags[0].label.size() : 0);
                ++got;
            }, 1000);
        } else {
            std::cerr << "lucid_stream: unknown mode " << mode << "\n";
            return 2;
        }
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } catch (const std::exception& e) {
        std::cerr << "lucid_stream: " << e.what() << "\n";
        return 1;
    }
    const long peak = statusKb("VmHWM:");
    std::cout << "{\"mode\": \"" << mode << "\", \"database\": \"" << (postgres ? "postgres" : "sqlite_file") << "\", \"rows\": " << got
              << ", \"rss_before_kb\": " << rssBefore << ", \"peak_kb\": " << peak << ", \"seconds\": " << seconds
              << ", \"ns_per_row\": " << (got ? seconds * 1e9 / static_cast<double>(got) : 0) << ", \"check\": " << check << "}\n";
    return got == rows ? 0 : 1;
}
