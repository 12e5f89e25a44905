// lucid_vs_peer: the workloads W1, W2, W4, W6 through lucid-cpp on PostgreSQL, for the side-by-side with the
// real AdonisJS Lucid (bench/lucid_peer/run.sh runs both on the same server and the same tables).
//
//   lucid_vs_peer seed  [url]   drop, create and seed users/profiles/posts (10,000 users, one profile each)
//   lucid_vs_peer run   [url]   time the workloads on the tables as they are; prints one JSON object
//
// url: argument, else LUCID_BENCH_PG_URL, else LUCID_TEST_PG_URL. RUNS (default 5) and RUNS_W4 (default 5)
// set the number of runs; the JSON holds every run and the median, in milliseconds.
#include "fixtures.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>

using namespace bench;

namespace {

double median(std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    const std::size_t m = xs.size() / 2;
    return xs.size() % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
}

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || (std::string(argv[1]) != "seed" && std::string(argv[1]) != "run")) {
        std::cerr << "usage: lucid_vs_peer seed|run [postgres-url]\n";
        return 2;
    }
    const std::string url = argc > 2 ? argv[2] : pgUrlFromEnv();
    if (url.empty()) {
        std::cerr << "lucid_vs_peer: no PostgreSQL URL (argument, LUCID_BENCH_PG_URL or LUCID_TEST_PG_URL)\n";
        return 2;
    }
    try {
        auto env = openEnv(Kind::Postgres, url);
        lucid::useDatabase(*env->db);
        if (std::string(argv[1]) == "seed") {
            seed(*env, kUsers, 0);
            return 0;
        }
        const int runs = envInt("RUNS", 5), runsW4 = envInt("RUNS_W4", 5);
        const std::vector<int64_t> ids = findIds(kFinds, kUsers);
        std::map<std::string, std::vector<double>> times;
        int round = 0;
        // one untimed warm-up of each, as the benchmark suite does
        lucid_side::w1Insert(*env);
        lucid_side::w2Find(*env, ids);
        lucid_side::w4PreloadBelongsTo(*env);
        lucid_side::w6Save(*env, ++round);
        for (int r = 0; r < runs; ++r) times["W1"].push_back(lucid_side::w1Insert(*env).seconds * 1e3);
        for (int r = 0; r < runs; ++r) times["W2"].push_back(lucid_side::w2Find(*env, ids).seconds * 1e3);
        for (int r = 0; r < runsW4; ++r) times["W4"].push_back(lucid_side::w4PreloadBelongsTo(*env).seconds * 1e3);
        for (int r = 0; r < runs; ++r) times["W6"].push_back(lucid_side::w6Save(*env, ++round).seconds * 1e3);
        std::cout << "{\"impl\": \"lucid-cpp\", \"unit\": \"ms\", \"workloads\": {";
        bool first = true;
        for (const auto& [k, xs] : times) {
            std::cout << (first ? "" : ", ") << "\"" << k << "\": {\"median\": " << median(xs) << ", \"runs\": [";
            for (std::size_t i = 0; i < xs.size(); ++i) std::cout << (i ? ", " : "") << xs[i];
            std::cout << "]}";
            first = false;
        }
        std::cout << "}}\n";
    } catch (const std::exception& e) {
        std::cerr << "lucid_vs_peer: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
