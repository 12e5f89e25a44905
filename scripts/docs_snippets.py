#!/usr/bin/env python3
"""Keeps the C++ samples of the guides equal to compiled, tested code.

Sample programs live in docs/samples/<name>_sample.cpp (GoogleTest files, built and run by the
test suite). A region of a sample is marked with

    // [snippet:NAME]
    ...
    // [end-snippet]

(regions may nest; marker lines never appear in a snippet's text, which is dedented to the
region's smallest indentation). In a guide, a line

    <!-- snippet: FILE_STEM/NAME -->

(FILE_STEM e.g. belongs_to_sample) is immediately followed by a ```cpp block holding that text.
The guides are every markdown file under docs/ and the repository's README.md; every C++ block in
them must have a marker, so that no uncompiled sample can sneak in anywhere.

    docs_snippets.py --check   exit 1, listing every out-of-date or missing snippet, and every
                               ```cpp block of a guide that has no marker
    docs_snippets.py --write   rewrite the block after every marker from the samples

Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SAMPLES = DOCS / "samples"
# The guides: every markdown file under docs/, and these. Every C++ block in them must come from a sample.
EXTRA_GUIDES = [ROOT / "README.md"]


def guides() -> list[Path]:
    found = sorted(DOCS.rglob("*.md"))
    return found + [p for p in EXTRA_GUIDES if p.is_file() and p not in found]


START_RE = re.compile(r"^\s*//\s*\[snippet:([A-Za-z0-9_.-]+)\]\s*$")
END_RE = re.compile(r"^\s*//\s*\[end-snippet\]\s*$")
NEAR_MARKER_RE = re.compile(r"^\s*//\s*\[\s*(snippet|end-snippet)")  # a marker with a typo
MARKER_RE = re.compile(r"^<!--\s*snippet:\s*([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)\s*-->\s*$")
FENCE_RE = re.compile(r"^(\s*)(```+|~~~+)\s*([^\s`]*)")
CPP_LANGS = {"cpp", "c++", "cxx", "cc", "hpp", "h", "c"}


class SnippetError(Exception):
    pass


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def dedent(lines: list[str]) -> str:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] if line else "" for line in lines)


def parse_sample(path: Path) -> dict[str, str]:
    """NAME -> dedented text of every snippet region of one sample file."""
    text = path.read_text(encoding="utf-8")
    if "\t" in text:
        raise SnippetError(f"{rel(path)}: uses tabs; indent samples with spaces")
    snippets: dict[str, str] = {}
    open_regions: list[tuple[str, int, list[str]]] = []  # name, line number, collected lines
    for number, line in enumerate(text.splitlines(), start=1):
        start = START_RE.match(line)
        if start:
            name = start.group(1)
            if name in snippets or any(r[0] == name for r in open_regions):
                raise SnippetError(f"{rel(path)}:{number}: snippet \"{name}\" is defined twice")
            open_regions.append((name, number, []))
            continue
        if END_RE.match(line):
            if not open_regions:
                raise SnippetError(f"{rel(path)}:{number}: [end-snippet] without a [snippet:NAME]")
            name, begun, collected = open_regions.pop()
            body = dedent(collected)
            if not body:
                raise SnippetError(f"{rel(path)}:{begun}: snippet \"{name}\" is empty")
            snippets[name] = body
            continue
        if NEAR_MARKER_RE.match(line):
            raise SnippetError(f"{rel(path)}:{number}: malformed snippet marker: {line.strip()}")
        for region in open_regions:
            region[2].append(line)
    if open_regions:
        name, begun, _ = open_regions[-1]
        raise SnippetError(f"{rel(path)}:{begun}: snippet \"{name}\" has no [end-snippet]")
    return snippets


def load_samples() -> dict[str, dict[str, str]]:
    return {p.stem: parse_sample(p) for p in sorted(SAMPLES.glob("*_sample.cpp"))}


def fence_at(lines: list[str], i: int):
    """(language, index of the closing fence line) when lines[i] opens a fenced block, else None."""
    m = FENCE_RE.match(lines[i])
    if not m:
        return None
    indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
    for j in range(i + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(fence[0] * len(fence)) and stripped.strip(fence[0]) == "":
            return lang, j
    return lang, None


def process(md: Path, samples: dict[str, dict[str, str]], write: bool) -> tuple[list[str], bool]:
    """Returns the problems found in one markdown file and whether it changed (with write)."""
    problems: list[str] = []
    original = md.read_text(encoding="utf-8")
    lines = original.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = MARKER_RE.match(line)
        if marker:
            stem, name = marker.group(1), marker.group(2)
            where = f"{rel(md)}:{i + 1}: {stem}/{name}"
            out.append(line)
            i += 1
            expected = samples.get(stem, {}).get(name)
            if stem not in samples:
                problems.append(f"{where}: no sample file docs/samples/{stem}.cpp")
            elif expected is None:
                problems.append(f"{where}: docs/samples/{stem}.cpp has no snippet \"{name}\"")
            block = fence_at(lines, i) if i < len(lines) else None
            if block and block[0] in CPP_LANGS and block[1] is not None:
                current = "\n".join(lines[i + 1:block[1]])
                if expected is not None and current != expected:
                    problems.append(f"{where}: out of date (run scripts/docs_snippets.py --write)")
                if write and expected is not None:
                    out.extend(["```cpp", *expected.split("\n"), "```"])
                else:
                    out.extend(lines[i:block[1] + 1])
                i = block[1] + 1
            else:
                if expected is not None:
                    problems.append(f"{where}: missing: the marker is not followed by a ```cpp block"
                                    " (run scripts/docs_snippets.py --write)")
                    if write:
                        out.extend(["```cpp", *expected.split("\n"), "```"])
            continue
        block = fence_at(lines, i)
        if block:
            lang, end = block
            if end is None:
                problems.append(f"{rel(md)}:{i + 1}: fenced block is never closed")
                out.extend(lines[i:])
                break
            if lang in CPP_LANGS:
                problems.append(f"{rel(md)}:{i + 1}: ```{lang} block without a <!-- snippet: FILE_STEM/NAME --> marker:"
                                " every C++ sample here must come from docs/samples/")
            out.extend(lines[i:end + 1])
            i = end + 1
            continue
        out.append(line)
        i += 1
    changed = False
    if write:
        updated = "\n".join(out)
        if updated != original:
            md.write_text(updated, encoding="utf-8")
            changed = True
    return problems, changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="fail when a guide's snippet differs from its sample")
    mode.add_argument("--write", action="store_true", help="rewrite the guides' snippets from the samples")
    args = parser.parse_args()

    try:
        samples = load_samples()
    except SnippetError as e:
        print(f"docs_snippets: {e}", file=sys.stderr)
        return 1

    problems: list[str] = []
    rewritten: list[str] = []
    markers = 0
    for md in guides():
        text = md.read_text(encoding="utf-8")
        markers += sum(1 for line in text.split("\n") if MARKER_RE.match(line))
        found, changed = process(md, samples, args.write)
        if changed:
            rewritten.append(rel(md))
        if args.write:
            # what --write cannot fix: unknown samples/snippets, unmarked blocks, unclosed fences
            found = [p for p in found if "out of date" not in p and "missing:" not in p]
        problems.extend(found)

    for f in rewritten:
        print(f"docs_snippets: rewrote {f}")
    if problems:
        print(f"docs_snippets: {len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        if args.check:
            print("docs_snippets: the guides' C++ samples must equal the snippets in docs/samples/*_sample.cpp;"
                  " run `python3 scripts/docs_snippets.py --write` after changing a sample", file=sys.stderr)
        return 1
    total = sum(len(s) for s in samples.values())
    print(f"docs_snippets: {markers} marker(s) in the guides, {total} snippet(s) in {len(samples)} sample file(s): all up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
