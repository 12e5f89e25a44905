#!/usr/bin/env python3
"""The benchmark report of lucid-cpp (issue 5): one command, one table.

    python3 bench/report.py [--reps 5] [--target-ms 200] [--dbs sqlite_mem,sqlite_file,postgres] [--pin 0]
                            [--no-build] [--skip-bench] [--peer] [--stream-only] [--out build/bench/report.md]

1. builds lucid_bench and lucid_memory (Release, build/bench);
2. runs lucid_bench (Google Benchmark, JSON) with a throwaway PostgreSQL server from scripts/with-postgres.sh
   (or the server of LUCID_BENCH_PG_URL / LUCID_TEST_PG_URL when set); medians of --reps repetitions;
3. prints ONE table: workload | database | lucid-cpp | raw | lucid/raw, plus the W4/W5 query counts over
   1k/10k/100k parents, the compile time of a generated translation unit with 20 models and 30 relations
   (c++ -O2 -std=c++20 -I include -c), and the peak RSS to hydrate 1,000,000 rows (lucid_memory lucid|raw,
   one child process each, ru_maxrss from wait4);
4. big result sets (lucid_stream, one child process per figure): the peak RSS of each() with a preload over
   1,000,000 rows against 10,000, and the time per row of cursor()/each() against the driver's own streaming,
   on an SQLite file and on PostgreSQL (the server of LUCID_BENCH_PG_URL / LUCID_TEST_PG_URL; skipped without);
   --stream-only runs this part alone;
5. with --peer, also runs bench/lucid_peer/run.sh (lucid-cpp against the real AdonisJS Lucid).
The same report is written as Markdown to --out. Python 3 standard library only.
"""
import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build", "bench")
TARGETS = {"sqlite_mem": 1.3, "postgres": 1.15}  # lucid/raw, issue 5
WORKLOAD_TITLES = {
    "W1_insert_createMany": "W1 insert 10,000 users, one transaction",
    "W2_find_by_id": "W2 1,000 x find(id)",
    "W3_fetch_all": "W3 fetch 10,000 profiles",
    "W4_preload_belongsTo": "W4 preload belongsTo, 10,000 profiles",
    "W5_preload_hasMany": "W5 preload hasMany, 1,000 users x 10 posts",
    "W6_update_save": "W6 1,000 x change one field + save()",
    "W7_whereHas_withCount": "W7 whereHas + withCount, 10,000 users",
    "W8_preload_morphTo": "W8 preload morphTo, 10,000 notes on users and posts",
    # issue 13: the pool under load (1,000 x find(id) on each thread; raw: one connection per thread) and
    # PostgreSQL's unnamed statements (preparedStatements = false, as through PgBouncer)
    **{f"W9_find_threads_x{n}": f"W9 {n} thread(s) x 1,000 x find(id), {n} pooled connection(s)" for n in (1, 2, 4, 8)},
    "W2u_find_unnamed": "W2u W2 with unnamed statements (raw: prepared)",
    "W6u_save_unnamed": "W6u W6 with unnamed statements (raw: prepared)",
}
THREADS_TARGET = 1.15  # W9, lucid/raw at every thread count and database (issue 13)
DB_ORDER = ["sqlite_mem", "sqlite_file", "postgres"]


def log(msg):
    print(f"[report] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    log(" ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


def build(no_build):
    if no_build:
        return
    if not os.path.exists(os.path.join(BUILD, "build.ninja")) and not os.path.exists(os.path.join(BUILD, "Makefile")):
        gen = ["-G", "Ninja"] if shutil.which("ninja") else []
        run(["cmake", "-S", ROOT, "-B", BUILD, *gen, "-DCMAKE_BUILD_TYPE=Release", "-DLUCID_BUILD_BENCH=ON",
             "-DLUCID_BUILD_TESTS=OFF", "-DLUCID_BUILD_EXAMPLES=OFF"], stdout=subprocess.DEVNULL)
    run(["cmake", "--build", BUILD, "--target", "lucid_bench", "lucid_memory", "lucid_stream"], stdout=subprocess.DEVNULL)


def with_pg(cmd):
    """cmd under scripts/with-postgres.sh unless a server is given."""
    if os.environ.get("LUCID_BENCH_PG_URL") or os.environ.get("LUCID_TEST_PG_URL"):
        return cmd
    return [os.path.join(ROOT, "scripts", "with-postgres.sh"), *cmd]


def run_bench(args):
    out_json = os.path.join(BUILD, "lucid_bench.json")
    err_log = os.path.join(BUILD, "lucid_bench.stderr.log")
    cmd = [os.path.join(BUILD, "bench", "lucid_bench"), "--benchmark_format=json", f"--benchmark_out={out_json}",
           "--benchmark_out_format=json", f"--lucid_reps={args.reps}", f"--lucid_target_ms={args.target_ms}",
           f"--lucid_dbs={args.dbs}"]
    if "postgres" in args.dbs.split(","):
        cmd = with_pg(cmd)
    if args.pin != "none" and shutil.which("taskset"):
        # One CPU for the client and the throwaway server: on a small VM, a client and a server on two vCPUs
        # pay a cross-CPU wake-up on every round trip, and which of the two placements a run gets varies
        # (W1/W6 on PostgreSQL moved 2-4x between runs); on one CPU the figures repeat within a few percent.
        cmd = ["taskset", "-c", args.pin, *cmd]
    t0 = time.time()
    with open(err_log, "w") as err:
        log(" ".join(cmd) + f"  (stderr -> {os.path.relpath(err_log, ROOT)})")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=err)
    log(f"lucid_bench took {time.time() - t0:.0f} s")
    with open(out_json) as f:
        data = json.load(f)
    with open(err_log) as f:
        stderr = f.read()
    return data, stderr


def medians(data):
    """{(workload, db): {"lucid": ms, "raw": ms}} from the _median aggregates (real = manual time)."""
    out, errors = {}, []
    for b in data["benchmarks"]:
        name = b.get("run_name", b["name"])
        parts = name.split("/")
        if len(parts) < 3:
            continue
        workload, db, side = parts[0], parts[1], parts[2]
        if b.get("error_occurred"):
            errors.append(f"{workload}/{db}/{side}: {b.get('error_message')}")
            continue
        if b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        out.setdefault((workload, db), {})[side] = b["real_time"] * scale
    return out, errors


def fmt_ms(x):
    return f"{x:,.3f} ms" if x < 10 else f"{x:,.1f} ms"


def bench_table(meds):
    lines = ["| workload | database | lucid-cpp | raw driver | lucid/raw | target |",
             "|---|---|---:|---:|---:|---|"]
    for w in WORKLOAD_TITLES:
        for db in DB_ORDER:
            m = meds.get((w, db))
            if not m or "lucid" not in m or "raw" not in m:
                continue
            ratio = m["lucid"] / m["raw"]
            t = THREADS_TARGET if w.startswith("W9") else TARGETS.get(db)
            target = f"<= {t} {'met' if ratio <= t else 'MISSED'}" if t else "-"
            lines.append(f"| {WORKLOAD_TITLES[w]} | {db} | {fmt_ms(m['lucid'])} | {fmt_ms(m['raw'])} | {ratio:.2f} | {target} |")
    return lines


def unnamed_table(meds):
    """lucid-cpp with named prepared statements (the default) against unnamed ones (?pgbouncer=true)."""
    lines = ["| workload (postgres) | prepared | unnamed | unnamed/prepared |", "|---|---:|---:|---:|"]
    for named, unnamed in (("W2_find_by_id", "W2u_find_unnamed"), ("W6_update_save", "W6u_save_unnamed")):
        a, b = meds.get((named, "postgres"), {}).get("lucid"), meds.get((unnamed, "postgres"), {}).get("lucid")
        if a and b:
            lines.append(f"| {WORKLOAD_TITLES[named]} | {fmt_ms(a)} | {fmt_ms(b)} | {b / a:.2f} |")
    return lines if len(lines) > 2 else []


def query_counts(stderr):
    rows = []
    for line in stderr.splitlines():
        m = re.match(r"querycount (\S+) (\S+) parents=(\d+) queries=(\d+) loaded=(\d+) ms=([\d.]+)", line)
        if m:
            rows.append(m.groups())
    lines = ["| preload | database | parents | queries | related rows | time |", "|---|---|---:|---:|---:|---:|"]
    for w, db, parents, q, loaded, ms in rows:
        lines.append(f"| {w} | {db} | {int(parents):,} | {q} | {int(loaded):,} | {float(ms):.1f} ms |")
    constant = {}
    for w, db, _, q, _, _ in rows:
        constant.setdefault((w, db), set()).add(q)
    ok = bool(rows) and all(len(v) == 1 for v in constant.values())
    return lines, ok


# ---------------------------------------------------------------- compile time
def generate_tu(path, models=20, relations=30):
    """20 models in a chain: M<i> belongsTo M<i-1> (19 relations) and M<i-1> hasMany M<i> (11), each used."""
    belongs = list(range(1, models))                        # 19
    has_many = list(range(1, relations - len(belongs) + 1))  # 11: M0..M10 hasMany their child
    src = ["// generated by bench/report.py: 20 models, 30 relations, every relation used", "#include <lucid/lucid.hpp>", ""]
    for i in range(models):
        src.append(f"struct M{i};")
    src.append("")
    for i in range(models):
        fields = [f"    int64_t id = 0;", "    std::string name;", "    int32_t score = 0;", "    bool flag = false;",
                  "    std::optional<int64_t> parentId;", "    std::optional<lucid::DateTime> createdAt;"]
        cols = [f'        m.column(&M{i}::id, "id", {{.isPrimary = true}});', f'        m.column(&M{i}::name, "name");',
                f'        m.column(&M{i}::score, "score");', f'        m.column(&M{i}::flag, "flag");',
                f'        m.column(&M{i}::parentId, "parentId");',
                f'        m.column(&M{i}::createdAt, "createdAt", {{.autoCreate = true}});']
        if i in belongs:
            fields.append(f"    lucid::BelongsTo<M{i - 1}> parent;")
            cols.append(f'        m.belongsTo(&M{i}::parent, "parent", {{.foreignKey = "parentId"}});')
        if i + 1 in has_many:
            fields.append(f"    lucid::HasMany<M{i + 1}> children;")
            cols.append(f'        m.hasMany(&M{i}::children, "children", {{.foreignKey = "parentId"}});')
        src.append(f"struct M{i} : lucid::BaseModel<M{i}> {{")
        src += fields
        src.append(f"    static void define(lucid::ModelDefinition<M{i}>& m) {{")
        src += cols
        src += ["    }", "};", ""]
    src.append("int64_t useAll(lucid::Database& db) {")
    src.append("    int64_t n = 0;")
    for i in range(models):
        src.append(f"    {{")
        src.append(f"        M{i} x;")
        src.append(f"        x.name = \"m{i}\";")
        src.append(f"        x.save();")
        src.append(f"        auto found = M{i}::find(x.id, db);")
        src.append(f"        n += found ? found->score : 0;")
        src.append(f"        auto rows = M{i}::query().where(&M{i}::score, \">\", 1).whereNotNull(&M{i}::parentId).orderBy(&M{i}::id, lucid::Desc).limit(10).all();")
        src.append(f"        n += static_cast<int64_t>(rows.size()) + M{i}::query().where(&M{i}::flag, true).count();")
        src.append(f"        n += static_cast<int64_t>(x.serialize().size());")
        if i in belongs:
            src.append(f"        auto withParent = M{i}::query().preload(&M{i}::parent).all();")
            src.append(f"        n += static_cast<int64_t>(withParent.size());")
            src.append(f"        M{i - 1} p; p.save(); x.related(&M{i}::parent).associate(p);")
        if i + 1 in has_many:
            src.append(f"        auto withChildren = M{i}::query().preload(&M{i}::children, [](lucid::ModelQuery<M{i + 1}>& q) {{ q.where(&M{i + 1}::flag, true); }})")
            src.append(f"                                .withCount(&M{i}::children).has(&M{i}::children).all();")
            src.append(f"        n += static_cast<int64_t>(withChildren.size());")
            src.append(f"        x.related(&M{i}::children).create(M{i + 1}{{}});")
            src.append(f"        x.load(&M{i}::children);")
        src.append(f"    }}")
    src += ["    return n;", "}", ""]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(src))
    return len(belongs) + len(has_many)


def compile_time():
    cxx = os.environ.get("CXX", "c++")
    d = os.path.join(ROOT, "build", "bench-compile")
    tu = os.path.join(d, "models20.cpp")
    nrel = generate_tu(tu)
    base = os.path.join(d, "include_only.cpp")
    with open(base, "w") as f:
        f.write("#include <lucid/lucid.hpp>\nint main() { return 0; }\n")
    results = {}
    for label, src in (("include_only", base), ("models20", tu)):
        cmd = [cxx, "-O2", "-std=c++20", "-I", os.path.join(ROOT, "include"), "-c", src, "-o", src + ".o"]
        best = None
        for _ in range(2):  # best of two: the first may pay a cold page cache
            t0 = time.time()
            subprocess.run(cmd, check=True)
            best = min(best or 1e9, time.time() - t0)
        results[label] = best
    version = subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    log(f"compile: {results}")
    return results, nrel, version, os.path.relpath(tu, ROOT)


# ---------------------------------------------------------------- memory
def memory():
    exe = os.path.join(BUILD, "bench", "lucid_memory")
    out = {}
    for mode in ("raw", "lucid"):
        p = subprocess.Popen([exe, mode, "1000000"], stdout=subprocess.PIPE, text=True)
        _, status, ru = os.wait4(p.pid, 0)
        line = p.stdout.read()
        p.stdout.close()
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            raise RuntimeError(f"lucid_memory {mode} failed ({p.returncode})")
        info = json.loads(line)
        info["wait4_maxrss_kb"] = ru.ru_maxrss
        out[mode] = info
        log(f"memory {mode}: {info}")
    return out


# ---------------------------------------------------------------- big result sets
STREAM_ROWS, STREAM_SMALL = 1_000_000, 10_000
STREAM_MODES = (("raw", "raw driver, streamed (sqlite3_step / libpq single-row mode)"), ("cursor", "lucid-cpp cursor()"),
                ("each", "lucid-cpp each(fn, 1000)"), ("each_preload", "lucid-cpp each(fn, 1000) + preload hasMany"))


def stream_child(url, mode, rows):
    exe = os.path.join(BUILD, "bench", "lucid_stream")
    p = subprocess.Popen([exe, url, mode, str(rows)], stdout=subprocess.PIPE, text=True)
    line, _ = p.communicate()
    if p.returncode != 0:
        raise RuntimeError(f"lucid_stream {mode} {rows} failed")
    if mode == "seed":
        return None
    info = json.loads(line)  # peak_kb: the child's VmHWM (its ru_maxrss would include this Python's, kept across exec)
    log(f"stream {mode} {rows}: {info}")
    return info


def stream():
    """{database: {"seconds_seed": s, (mode, rows): info}} on an SQLite file and on PostgreSQL when a server is given."""
    dbs = [("sqlite_file", "sqlite:" + os.path.join(BUILD, "stream.sqlite"))]
    pg = os.environ.get("LUCID_BENCH_PG_URL") or os.environ.get("LUCID_TEST_PG_URL")
    if pg:
        dbs.append(("postgres", pg))
    out = {}
    for name, url in dbs:
        t0 = time.time()
        stream_child(url, "seed", STREAM_ROWS)
        res = {"seconds_seed": time.time() - t0}
        for mode, _ in STREAM_MODES:
            res[(mode, STREAM_ROWS)] = stream_child(url, mode, STREAM_ROWS)
        res[("each_preload", STREAM_SMALL)] = stream_child(url, "each_preload", STREAM_SMALL)
        out[name] = res
    return out


def stream_report(res):
    rep = [f"Big result sets: {STREAM_ROWS:,} rows of the 4-column items (one tag each for the preload), one child process "
           "per line (peak RSS: its VmHWM), ids 1..n walked in key order:", "",
           "| database | walk | rows | peak RSS | time | per row | per row / raw |", "|---|---|---:|---:|---:|---:|---:|"]
    for db, r in res.items():
        raw = r[("raw", STREAM_ROWS)]["ns_per_row"]
        for mode, title in STREAM_MODES:
            x = r[(mode, STREAM_ROWS)]
            rep.append(f"| {db} | {title} | {x['rows']:,} | {x['peak_kb'] / 1024:.1f} MiB | {x['seconds'] * 1e3:,.0f} ms | "
                       f"{x['ns_per_row']:,.0f} ns | {x['ns_per_row'] / raw:.2f} |")
        small = r[("each_preload", STREAM_SMALL)]
        rep.append(f"| {db} | lucid-cpp each(fn, 1000) + preload hasMany | {small['rows']:,} | {small['peak_kb'] / 1024:.1f} MiB | "
                   f"{small['seconds'] * 1e3:,.0f} ms | {small['ns_per_row']:,.0f} ns | |")
    rep.append("")
    for db, r in res.items():
        big, small = r[("each_preload", STREAM_ROWS)], r[("each_preload", STREAM_SMALL)]
        ratio = big["peak_kb"] / small["peak_kb"]
        rep.append(f"- {db}: peak RSS of each() + preload over {STREAM_ROWS:,} rows / over {STREAM_SMALL:,}: {ratio:.2f} "
                   f"(target <= 1.2: {'met' if ratio <= 1.2 else 'MISSED'})")
    return rep


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram": mem, "kernel": platform.release()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5, help="repetitions per benchmark (median reported)")
    ap.add_argument("--target-ms", type=float, default=200, help="time per repetition (sets the iteration count)")
    ap.add_argument("--dbs", default="sqlite_mem,sqlite_file,postgres")
    ap.add_argument("--pin", default="0", help="CPU list for taskset (lucid_bench and the PostgreSQL server); 'none' to not pin")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--skip-bench", action="store_true", help="reuse build/bench/lucid_bench.json and its stderr log")
    ap.add_argument("--peer", action="store_true", help="also run bench/lucid_peer/run.sh (AdonisJS Lucid, ~2 min)")
    ap.add_argument("--stream-only", action="store_true", help="only the big result sets (lucid_stream)")
    ap.add_argument("--out", default=os.path.join(BUILD, "report.md"))
    args = ap.parse_args()

    build(args.no_build)
    if args.stream_only:
        print("\n".join(stream_report(stream())))
        return
    if args.skip_bench:
        with open(os.path.join(BUILD, "lucid_bench.json")) as f:
            data = json.load(f)
        with open(os.path.join(BUILD, "lucid_bench.stderr.log")) as f:
            stderr = f.read()
    else:
        data, stderr = run_bench(args)
    meds, errors = medians(data)
    ctx = data.get("context", {})
    comp, nrel, cxx_version, tu = compile_time()
    mem = memory()
    m = machine()

    rep = []
    rep.append(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['ram']} RAM, Linux {m['kernel']}; run {ctx.get('date', '')}")
    pinned = f"pinned with taskset -c {args.pin} (client and PostgreSQL server)" if args.pin != "none" else "not pinned"
    rep.append(f"Medians of {args.reps} randomly interleaved repetitions in one process, {pinned}; lucid-cpp and "
               f"the benchmarks built Release (-O3).")
    if "postgres" in args.dbs and not any(db == "postgres" for (_, db) in meds):
        rep.append("NOTE: no PostgreSQL results (server unavailable).")
    rep.append("")
    rep += bench_table(meds)
    if unnamed_table(meds):
        rep += ["", "PostgreSQL, prepared vs unnamed statements (lucid-cpp):", ""] + unnamed_table(meds)
    for e in errors:
        rep.append(f"ERROR {e}")
    for line in stderr.splitlines():
        if line.startswith("NOTICE") or line.startswith("MISMATCH"):
            rep.append(line)
    rep.append("")
    qc, ok = query_counts(stderr)
    rep.append(f"Preload query counts (lucid-cpp, counted with db.onQuery): {'constant' if ok else 'NOT constant'}")
    rep.append("")
    rep += qc
    rep.append("")
    verdict = "met" if comp["models20"] < 10 else "MISSED"
    rep.append(f"Compile time ({cxx_version}, -O2 -std=c++20 -c, best of 2): {tu} ({20} models, {nrel} relations, each used) "
               f"{comp['models20']:.1f} s (target < 10 s: {verdict}); a TU that only includes <lucid/lucid.hpp>: "
               f"{comp['include_only']:.1f} s")
    rep.append("")
    r, l = mem["raw"], mem["lucid"]
    ratio = l["wait4_maxrss_kb"] / r["wait4_maxrss_kb"]
    dr, dl = r["wait4_maxrss_kb"] - r["rss_after_seed_kb"], l["wait4_maxrss_kb"] - l["rss_after_seed_kb"]
    rep.append("Peak memory to hydrate 1,000,000 rows (4 columns: id, name of ~30 chars, score, active) from SQLite in memory, "
               "one child process each (ru_maxrss):")
    rep.append("")
    rep.append("| | peak RSS | of which the database | hydration (peak - database) | time |")
    rep.append("|---|---:|---:|---:|---:|")
    for label, x, dx in (("raw driver, vector of structs", r, dr), ("lucid-cpp, ModelQuery::all()", l, dl)):
        rep.append(f"| {label} | {x['wait4_maxrss_kb'] / 1024:.0f} MiB | {x['rss_after_seed_kb'] / 1024:.0f} MiB | "
                   f"{dx / 1024:.0f} MiB | {x['seconds'] * 1e3:.0f} ms |")
    rep.append(f"| lucid/raw | {ratio:.2f} (target <= 1.5: {'met' if ratio <= 1.5 else 'MISSED'}) | | {dl / dr:.2f} | "
               f"{l['seconds'] / r['seconds']:.2f} |")
    rep.append("")
    rep += stream_report(stream())
    text = "\n".join(rep)
    print(text)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text + "\n")
    log(f"written to {os.path.relpath(args.out, ROOT)}")
    if args.peer:
        print()
        subprocess.run([os.path.join(ROOT, "bench", "lucid_peer", "run.sh")], check=False)


if __name__ == "__main__":
    main()
