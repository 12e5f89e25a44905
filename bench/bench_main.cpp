// lucid_bench: every workload twice on the same data, through lucid-cpp and by hand on the driver.
// Names: W<n>_<what>/<database>/<lucid|raw>, so that pairs match.
//
//   lucid_bench [google benchmark flags] [--lucid_dbs=sqlite_mem,sqlite_file,postgres] [--lucid_target_ms=200]
//               [--lucid_reps=5] [--lucid_skip_checks] [--lucid_checks_only] [--lucid_print_sql]
//               [--lucid_profile=W3/lucid/50]   (runs one side of one workload 50 times on the first database
//                                                and exits: for perf record / valgrind --tool=callgrind)
//
// Repetitions are randomly interleaved (--benchmark_enable_random_interleaving=true unless given).
// PostgreSQL: LUCID_BENCH_PG_URL, else LUCID_TEST_PG_URL (scripts/with-postgres.sh sets it); skipped when unset.
// Before the benchmarks (unless --lucid_skip_checks) it prints the query counts of the W4/W5 preloads over
// 1k, 10k and 100k parents to stderr, as lines starting with "querycount ".
#include "fixtures.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

using namespace bench;

namespace {

struct Options {
    std::set<std::string> dbs{"sqlite_mem", "sqlite_file", "postgres"};
    double targetMs = 200;  // per repetition: iterations = ceil(target / time of one run)
    int reps = 5;
    bool checks = true, checksOnly = false, printSql = false;
    std::string profile;  // "W3/lucid/50"
};

struct Workload {
    std::string name;
    std::function<Outcome(Env&, int round)> lucid, raw;
    int expectQueries = 0;  // lucid side: queries per run, verified outside timing (0: not verified)
    // W9 needs several connections to one database (not SQLite in memory); W2u/W6u are PostgreSQL's
    enum class Needs { Any, SharedFile, Postgres } needs = Needs::Any;
};

std::vector<Workload> workloads() {
    static const std::vector<int64_t> ids = findIds(kFinds, kUsers);
    std::vector<Workload> list{
        {"W1_insert_createMany", [](Env& e, int) { return lucid_side::w1Insert(e); }, [](Env& e, int) { return raw_side::w1Insert(e); }},
        {"W2_find_by_id", [](Env& e, int) { return lucid_side::w2Find(e, ids); }, [](Env& e, int) { return raw_side::w2Find(e, ids); }},
        {"W3_fetch_all", [](Env& e, int) { return lucid_side::w3FetchAll(e); }, [](Env& e, int) { return raw_side::w3FetchAll(e); }},
        {"W4_preload_belongsTo", [](Env& e, int) { return lucid_side::w4PreloadBelongsTo(e); },
         [](Env& e, int) { return raw_side::w4PreloadBelongsTo(e); }, 2},
        {"W5_preload_hasMany", [](Env& e, int) { return lucid_side::w5PreloadHasMany(e); },
         [](Env& e, int) { return raw_side::w5PreloadHasMany(e); }, 2},
        {"W6_update_save", [](Env& e, int r) { return lucid_side::w6Save(e, r); }, [](Env& e, int r) { return raw_side::w6Save(e, r); }},
        {"W7_whereHas_withCount", [](Env& e, int) { return lucid_side::w7WhereHasWithCount(e); },
         [](Env& e, int) { return raw_side::w7WhereHasWithCount(e); }, 1},
        {"W8_preload_morphTo", [](Env& e, int) { return lucid_side::w8PreloadMorphTo(e); },
         [](Env& e, int) { return raw_side::w8PreloadMorphTo(e); }, 3},
    };
    // W9: W2 on 1, 2, 4, 8 threads sharing one Database with that many pooled connections, against as
    // many raw connections, one per thread (the same ids on each thread)
    for (int n : {1, 2, 4, 8})
        list.push_back({"W9_find_threads_x" + std::to_string(n), [n](Env& e, int) { return lucid_side::w9FindThreads(e, ids, n); },
                        [n](Env& e, int) { return raw_side::w9FindThreads(e, ids, n); }, 0, Workload::Needs::SharedFile});
    // W2u/W6u: lucid-cpp with unnamed statements (preparedStatements = false, as through PgBouncer)
    // against the same prepared raw side as W2/W6: compare with W2/W6's lucid figures
    list.push_back({"W2u_find_unnamed", [](Env& e, int) { return lucid_side::w2FindUnnamed(e, ids); },
                    [](Env& e, int) { return raw_side::w2Find(e, ids); }, 0, Workload::Needs::Postgres});
    list.push_back({"W6u_save_unnamed", [](Env& e, int r) { return lucid_side::w6SaveUnnamed(e, r); },
                    [](Env& e, int r) { return raw_side::w6Save(e, r); }, 0, Workload::Needs::Postgres});
    return list;
}

bool runsOn(const Workload& w, const Env& env) {
    if (w.needs == Workload::Needs::SharedFile) return env.kind != Kind::SqliteMem;
    if (w.needs == Workload::Needs::Postgres) return env.isPg();
    return true;
}

int g_round = 0;  // distinct values for W6 on every run

// Runs `fn` once and counts the queries lucid-cpp issued meanwhile.
int countQueries(Env& env, const std::function<Outcome(Env&, int)>& fn) {
    int n = 0;
    auto sub = env.db->onQuery([&](const lucid::QueryEvent&) { ++n; });
    fn(env, ++g_round);
    return n;
}

// ---------------------------------------------------------------- W4/W5 query counts over 1k, 10k, 100k parents
void queryCountChecks(const Options& opt, const std::string& pgUrl) {
    std::vector<std::pair<Kind, std::string>> kinds;
    if (opt.dbs.count("sqlite_mem")) kinds.emplace_back(Kind::SqliteMem, "");
    if (opt.dbs.count("postgres") && !pgUrl.empty()) kinds.emplace_back(Kind::Postgres, pgUrl);
    for (auto& [kind, target] : kinds) {
        auto env = openEnv(kind, target);
        for (int parents : {1000, 10000, 100000}) {
            seed(*env, parents, 2);
            auto measure = [&](const char* name, auto&& run) {
                int n = 0;
                std::size_t rows = 0;
                auto sub = env->db->onQuery([&](const lucid::QueryEvent&) { ++n; });
                auto t0 = std::chrono::steady_clock::now();
                rows = run();
                double ms = since(t0) * 1e3;
                sub.unsubscribe();
                std::cerr << "querycount " << name << " " << env->name << " parents=" << parents << " queries=" << n
                          << " loaded=" << rows << " ms=" << ms << "\n";
            };
            measure("W4_preload_belongsTo", [&] {
                auto ps = Profile::query(*env->db).preload(&Profile::user).all();
                std::size_t loaded = 0;
                for (auto& p : ps) loaded += p.user.get() != nullptr;
                return loaded;
            });
            measure("W5_preload_hasMany", [&] {
                auto us = User::query(*env->db).preload(&User::posts).all();
                std::size_t loaded = 0;
                for (auto& u : us) loaded += u.posts.size();
                return loaded;
            });
        }
    }
}

// ---------------------------------------------------------------- --lucid_print_sql
void printSql(Env& env) {
    std::cout << "== " << env.name << "\n";
    std::string last;
    int n = 0;
    auto flush = [&] {
        if (n > 1) std::cout << "   (x" << n << ")\n";
        n = 0;
        last.clear();
    };
    auto sub = env.db->onQuery([&](const lucid::QueryEvent& ev) {
        std::string s(ev.sql);
        if (s.size() > 240) s = s.substr(0, 240) + "...";
        if (s == last) {
            ++n;
            return;
        }
        flush();
        std::cout << "   " << s << "   [" << ev.bindings.size() << " bindings]\n";
        last = s;
        n = 1;
    });
    for (auto& w : workloads()) {
        if (!runsOn(w, env)) continue;
        std::cout << "-- " << w.name << "\n";
        w.lucid(env, ++g_round);
        flush();
    }
}

// ---------------------------------------------------------------- --lucid_profile=W3/lucid/50
int profileRun(Env& env, const std::string& spec) {
    std::stringstream ss(spec);
    std::string prefix, side, count;
    std::getline(ss, prefix, '/');
    std::getline(ss, side, '/');
    std::getline(ss, count, '/');
    const int n = count.empty() ? 20 : std::stoi(count);
    for (auto& w : workloads()) {
        if (w.name.rfind(prefix, 0) != 0) continue;
        lucid::useDatabase(*env.db);
        auto& fn = side == "raw" ? w.raw : w.lucid;
        fn(env, ++g_round);  // warm-up
        double total = 0;
        for (int i = 0; i < n; ++i) total += fn(env, ++g_round).seconds;
        std::cerr << "profile " << w.name << "/" << env.name << "/" << side << ": " << n << " runs, mean " << total / n * 1e3 << " ms\n";
        return 0;
    }
    std::cerr << "no workload starts with " << prefix << "\n";
    return 1;
}

// ---------------------------------------------------------------- registration
std::map<std::string, int64_t> g_checks;  // "W3/sqlite_mem" -> the lucid side's check value

void registerAll(std::vector<std::unique_ptr<Env>>& envs, const Options& opt) {
    for (auto& envp : envs) {
        Env* env = envp.get();
        for (auto& w : workloads()) {
            if (!runsOn(w, *env)) continue;
            // Warm-up, outside any measurement: fills statement caches and page caches, verifies the query
            // count of the lucid side, compares the two sides' results, and sizes the iteration count.
            std::string key = w.name + "/" + env->name;
            lucid::useDatabase(*env->db);
            std::string error;
            if (w.expectQueries) {
                int q = countQueries(*env, w.lucid);
                std::cerr << "verify " << key << ": lucid-cpp issued " << q << " queries (expected " << w.expectQueries << ")\n";
                if (q != w.expectQueries) error = "lucid-cpp issued " + std::to_string(q) + " queries, expected " + std::to_string(w.expectQueries);
            }
            Outcome lo = w.lucid(*env, ++g_round);
            Outcome ro = w.raw(*env, ++g_round);
            if (lo.check != ro.check) {
                error = "results differ: lucid check " + std::to_string(lo.check) + ", raw check " + std::to_string(ro.check);
                std::cerr << "MISMATCH " << key << ": " << error << "\n";
            }
            const double one = std::max(lo.seconds, ro.seconds);
            const int iters = static_cast<int>(std::clamp(std::ceil(opt.targetMs / 1e3 / std::max(one, 1e-6)), 1.0, 1000.0));
            for (int side = 0; side < 2; ++side) {
                auto fn = side == 0 ? w.lucid : w.raw;
                std::string name = key + (side == 0 ? "/lucid" : "/raw");
                benchmark::RegisterBenchmark(name.c_str(),
                                             [env, fn, error](benchmark::State& state) {
                                                 if (!error.empty()) {
                                                     state.SkipWithError(error.c_str());
                                                     return;
                                                 }
                                                 lucid::useDatabase(*env->db);
                                                 for (auto _ : state) {
                                                     Outcome o = fn(*env, ++g_round);
                                                     state.SetIterationTime(o.seconds);
                                                 }
                                             })
                    ->UseManualTime()
                    ->Unit(benchmark::kMillisecond)
                    ->Iterations(iters)
                    ->Repetitions(opt.reps)
                    ->ReportAggregatesOnly(true);
            }
        }
    }
}

Options parse(int& argc, char** argv) {
    Options o;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* flag) -> std::optional<std::string> {
            std::string f = std::string(flag) + "=";
            if (a.rfind(f, 0) == 0) return a.substr(f.size());
            return std::nullopt;
        };
        if (auto v = value("--lucid_dbs")) {
            o.dbs.clear();
            std::stringstream ss(*v);
            for (std::string d; std::getline(ss, d, ',');) o.dbs.insert(d);
        } else if (auto v = value("--lucid_target_ms")) {
            o.targetMs = std::stod(*v);
        } else if (auto v = value("--lucid_reps")) {
            o.reps = std::stoi(*v);
        } else if (a == "--lucid_skip_checks") {
            o.checks = false;
        } else if (a == "--lucid_checks_only") {
            o.checksOnly = true;
        } else if (auto v = value("--lucid_profile")) {
            o.profile = *v;
            o.checks = false;
        } else if (a == "--lucid_print_sql") {
            o.printSql = true;
            o.checks = false;
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt = parse(argc, argv);
    // Repetitions of all benchmarks run in random order, so that slow phases of the machine or of the server
    // (a checkpoint, a noisy neighbour) spread over both sides instead of hitting one side's repetitions.
    std::vector<char*> args(argv, argv + argc);
    bool interleaveGiven = false;
    for (char* a : args) interleaveGiven |= std::string(a).rfind("--benchmark_enable_random_interleaving", 0) == 0;
    static char interleave[] = "--benchmark_enable_random_interleaving=true";
    if (!interleaveGiven) args.push_back(interleave);
    argc = static_cast<int>(args.size());
    args.push_back(nullptr);
    argv = args.data();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    try {
        const std::string pgUrl = pgUrlFromEnv();
        if (opt.dbs.count("postgres") && pgUrl.empty())
            std::cerr << "NOTICE: neither LUCID_BENCH_PG_URL nor LUCID_TEST_PG_URL is set: the PostgreSQL benchmarks are skipped "
                         "(run through scripts/with-postgres.sh, or python3 bench/report.py)\n";
        if (opt.checks || opt.checksOnly) queryCountChecks(opt, pgUrl);
        if (opt.checksOnly) return 0;

        std::vector<std::unique_ptr<Env>> envs;
        if (opt.dbs.count("sqlite_mem")) envs.push_back(openEnv(Kind::SqliteMem, ""));
        if (opt.dbs.count("sqlite_file")) envs.push_back(openEnv(Kind::SqliteFile, std::string(LUCID_BENCH_DATA_DIR) + "/lucid_bench.db"));
        if (opt.dbs.count("postgres") && !pgUrl.empty()) envs.push_back(openEnv(Kind::Postgres, pgUrl));
        for (auto& e : envs) seed(*e, kUsers, kPostsPerUser);

        if (opt.printSql) {
            for (auto& e : envs) printSql(*e);
            return 0;
        }
        if (!opt.profile.empty()) return profileRun(*envs.at(0), opt.profile);
        registerAll(envs, opt);
        benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
    } catch (const std::exception& e) {
        std::cerr << "lucid_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
