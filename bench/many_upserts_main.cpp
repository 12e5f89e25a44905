// lucid_many_upserts <url> [rows]: updateOrCreateMany of that many changed rows (one SELECT and one UPDATE per
// 500) against reading the rows and save() on each in one transaction; medians of 7, in milliseconds.
#include <lucid/lucid.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
struct M : lucid::BaseModel<M> {
    int64_t id = 0; std::string email; int64_t points = 0;
    static void define(lucid::ModelDefinition<M>& m) {
        m.table("members");
        m.column(&M::id, "id", {.isPrimary = true}); m.column(&M::email, "email"); m.column(&M::points, "points");
    }
};
namespace {
std::string email(int i) {
    std::string e = "m";
    e += std::to_string(i);
    e += "@x";
    return e;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: lucid_many_upserts <url> [rows]\n");
        return 2;
    }
    lucid::Database db{argv[1]};
    lucid::useDatabase(db);
    const int n = argc > 2 ? std::atoi(argv[2]) : 1000;
    db.schema().dropTableIfExists("members");
    db.schema().createTable("members", [](lucid::TableBuilder& t) { t.increments("id"); t.string("email").unique(); t.integer("points"); });
    std::vector<M> rows;
    for (int i = 0; i < n; ++i) rows.push_back(M{.email = email(i), .points = 0});
    M::createMany(rows);
    std::vector<double> batched, perRow;
    for (int rep = 1; rep <= 7; ++rep) {
        std::vector<M> payload;
        for (int i = 0; i < n; ++i) payload.push_back(M{.email = email(i), .points = rep * 2});
        auto t0 = std::chrono::steady_clock::now();
        M::updateOrCreateMany(&M::email, payload);
        batched.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        // the previous way: the rows read, then one UPDATE per changed row, in one transaction
        t0 = std::chrono::steady_clock::now();
        db.transaction([&](lucid::Transaction& trx) {
            std::vector<M> found = M::query(trx).forUpdate().all();
            for (M& m : found) { m.points = rep * 2 + 1; m.save(); }
        });
        perRow.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(batched.begin(), batched.end()); std::sort(perRow.begin(), perRow.end());
    std::printf("%s n=%d: updateOrCreateMany %.1f ms, per-row save %.1f ms (medians of 7)\n", argv[1], n, batched[3], perRow[3]);
    if (db.from("members").where("points", 15).count() != n) {
        std::puts("wrong: not every row has the last value");
        return 1;
    }
}
