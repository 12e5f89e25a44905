#!/usr/bin/env python3
"""Structure measures of issue 12, for one checkout: python3 scripts/measure_structure.py [CHECKOUT] [--reps N]

Prints: the largest source file and header (lines); the names declared in `namespace detail` blocks of the
public headers outside include/lucid/detail/; the preprocessed lines and compile time of a TU that includes
only <lucid/lucid.hpp>; the compile time (-O2, best of --reps) and peak compiler memory of bench/report.py's
generated TU with 20 models and 30 relations (compile times in CPU seconds, user + system). Python 3 standard library, g++ (or $CXX), /usr/bin/time.
"""
import argparse, os, re, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("checkout", nargs="?", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap.add_argument("--reps", type=int, default=2)
args = ap.parse_args()
root = os.path.abspath(args.checkout)
inc = os.path.join(root, "include")
cxx = os.environ.get("CXX", "g++")


def files(top, exts):
    for d, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            if n.endswith(exts):
                yield os.path.join(d, n)


def lines(p):
    with open(p, errors="replace") as f:
        return sum(1 for _ in f)


def largest(top, exts):
    return max(((lines(p), os.path.relpath(p, root)) for p in files(top, exts)), default=(0, "-"))


def detail_names():
    """Names declared at the top level of `namespace detail { ... }` blocks in public headers."""
    names = set()
    decl = re.compile(r"^(?:template\s*<[^;{]*?>\s*)?(?:(?:struct|class|enum class|enum|using)\s+(\w+)|"
                      r"(?:[\w:<>,\*&\s\[\]]+?)\b(\w+)\s*\()", re.S)
    for p in files("include/lucid", ".hpp"):
        if "/detail/" in p:
            continue
        s = re.sub(r"//[^\n]*", "", open(p).read())
        for m in re.finditer(r"namespace\s+(?:lucid::)?detail\s*\{", s):
            i, depth, stmt = m.end(), 1, ""
            while i < len(s) and depth:
                c = s[i]
                if c == "{":
                    if depth == 1:
                        d = decl.match(stmt.strip())
                        if d:
                            names.add(d.group(1) or d.group(2))
                        stmt = ""
                    depth += 1
                elif c == "}":
                    depth -= 1
                    if depth == 1:
                        stmt = ""
                elif depth == 1:
                    if c == ";":
                        d = decl.match(stmt.strip())
                        if d:
                            names.add(d.group(1) or d.group(2))
                        stmt = ""
                    else:
                        stmt += c
                i += 1
    names.discard(None)
    return sorted(names)


def timed(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%U %S %M"] + cmd, capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr[-3000:])
    user, system, kb = r.stderr.strip().splitlines()[-1].split()
    # CPU seconds, not wall time: other work on the machine barely moves them
    return float(user) + float(system), int(kb)


def best(cmd):
    runs = [timed(cmd) for _ in range(args.reps)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


tmp = tempfile.mkdtemp()
only = os.path.join(tmp, "only.cpp")
open(only, "w").write("#include <lucid/lucid.hpp>\n")
pre = subprocess.run([cxx, "-std=c++20", "-I", inc, "-E", only], capture_output=True, text=True, check=True).stdout
sys.path.insert(0, os.path.join(root, "bench"))
import report  # noqa: E402  (bench/report.py of the checkout measured)

tu = os.path.join(tmp, "models20.cpp")
report.generate_tu(tu)
t_only, _ = best([cxx, "-O2", "-std=c++20", "-I", inc, "-c", only, "-o", only + ".o"])
t_tu, mem_tu = best([cxx, "-O2", "-std=c++20", "-I", inc, "-c", tu, "-o", tu + ".o"])
src_l, src_f = largest("src", (".cpp", ".hpp"))
hdr_l, hdr_f = largest("include", (".hpp",))
names = detail_names()
print(f"checkout: {root}")
print(f"largest source file: {src_l} lines ({src_f})")
print(f"largest public header: {hdr_l} lines ({hdr_f})")
print(f"detail:: names in include/lucid outside detail/: {len(names)}")
print(f"<lucid/lucid.hpp> alone: {len(pre.splitlines())} preprocessed lines, {t_only:.2f} s CPU at -O2")
print(f"20 models / 30 relations TU: {t_tu:.2f} s CPU at -O2 (best of {args.reps}), peak compiler memory {mem_tu / 1024:.0f} MB")
