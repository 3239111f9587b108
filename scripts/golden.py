#!/usr/bin/env python3
"""Golden outputs of the example scenarios: each scenario under scenarios/ swept at a few core counts with its own
op counts, its key metrics per (variant, cores) written to tests/golden/NAME.csv, byte-exact (numbers as the
shortest text that reads back to the same double). tests/py/test_golden.py compares a fresh sweep with them; docs
quote numbers from them with a marker after the number,

    23.5 µs<!--golden:xio_cp:references-local:1:op_latency_ns:1e-3:1-->

(scenario, variant, cores, column, scale, decimals), checked by the same test and rewritten by --update.

Usage: scripts/golden.py build/smpsim            check, print what differs (exit 1 if anything does)
       scripts/golden.py build/smpsim --update   rewrite tests/golden/*.csv and the docs' quoted numbers
                                                 (review the diff: a changed number is a changed model)"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
MANIFEST = GOLDEN / "manifest.json"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

# Per point: from the result document. perf's per-op counters say what an op cost in traffic and interrupts.
COLUMNS = ["variant", "cores", "throughput_per_s", "op_latency_ns", "makespan_ns", "ops", "acquisitions",
           "contentions", "compute_frac", "stall_frac", "spin_frac"]
PERF_PER_OP = ["line_transfers", "invalidations", "atomics", "full_barriers", "ipis_sent", "tlb_shootdowns",
               "xcalls", "messages_local", "context_switches"]
MARKER = re.compile(r"(\d[\d,]*(?:\.\d+)?)([^\d<]{0,12}?)<!--golden:([^>]*?)-->")


def number(v) -> str:
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53):
        return str(int(v))
    return repr(float(v))


def manifest() -> dict:
    return json.loads(MANIFEST.read_text())


def scenarios() -> list[str]:
    skip = set(manifest().get("skip", {}))
    return sorted(p.stem for p in (ROOT / "scenarios").glob("*.json") if p.stem != "schema" and p.stem not in skip)


def rows_of(docs: list[dict]) -> list[list[str]]:
    rows = []
    for d in docs:
        m = d["metrics"]
        t = m["time_ns"]
        total = sum(t.values()) or 1.0
        row = [d["variant"], str(d["cores"]), number(m["throughput_per_s"]), number(m["op_latency_ns"]),
               number(m["makespan_ns"]), number(m["ops"]), number(m["acquisitions"]),
               number(sum(lock["contentions"] for lock in m["locks"])),
               number((t["user_ns"] + t["kernel_ns"]) / total), number(t["stall_ns"] / total),
               number(t["spin_ns"] / total)]
        row += [number(m["perf"]["per_op"][k]) for k in PERF_PER_OP]
        rows.append(row)
    return rows


def render(name: str, smpsim: str) -> str:
    """The golden text of one scenario, from a fresh sweep."""
    cfg = manifest()
    cores = cfg.get("cores", {}).get(name, cfg["default_cores"])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        p = subprocess.run([smpsim, "sweep", str(ROOT / "scenarios" / f"{name}.json"), "--cores", cores,
                            "--jobs", "2", "--out", str(out), "--quiet"], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"smpsim sweep scenarios/{name}.json --cores {cores} failed ({p.returncode}):\n{p.stderr}")
        docs = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS + [f"{k}_per_op" for k in PERF_PER_OP])
    w.writerows(rows_of(docs))
    return buf.getvalue()


def golden_value(spec: str, tables: dict) -> str:
    """The text a marker's number should be: spec = scenario:variant:cores:column:scale:decimals."""
    try:
        scen, variant, cores, column, scale, decimals = spec.split(":")
    except ValueError:
        raise ValueError(f"golden marker {spec!r}: expected scenario:variant:cores:column:scale:decimals") from None
    if scen not in tables:
        path = GOLDEN / f"{scen}.csv"
        tables[scen] = list(csv.DictReader(path.open(newline=""))) if path.exists() else []
    for row in tables[scen]:
        if row["variant"] == variant and row["cores"] == cores:
            return f"{float(row[column]) * float(scale):,.{int(decimals)}f}"
    raise ValueError(f"golden marker {spec!r}: no row {variant!r} at {cores} cores in tests/golden/{scen}.csv")


def doc_quotes() -> list[tuple[Path, str, str, str]]:
    """(doc, spec, quoted text, golden text) for every marker in the docs."""
    tables: dict = {}
    out = []
    for doc in DOCS:
        for m in MARKER.finditer(doc.read_text(encoding="utf-8")):
            out.append((doc, m.group(3), m.group(1), golden_value(m.group(3), tables)))
    return out


def rewrite_docs() -> None:
    tables: dict = {}
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        new = MARKER.sub(lambda m: golden_value(m.group(3), tables) + m.group(2) + f"<!--golden:{m.group(3)}-->", text)
        if new != text:
            doc.write_text(new, encoding="utf-8")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    smpsim, update = sys.argv[1], "--update" in sys.argv[2:]
    differs = 0
    for name in scenarios():
        text, path = render(name, smpsim), GOLDEN / f"{name}.csv"
        old = path.read_text() if path.exists() else ""
        if text != old:
            differs += 1
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       f"a/{path.relative_to(ROOT)}", f"b/{path.relative_to(ROOT)}"))
            if update:
                path.write_text(text)
    if update:
        rewrite_docs()
    for doc, spec, quoted, want in doc_quotes():
        if quoted != want:
            differs += 1
            print(f"{doc.relative_to(ROOT)}: quotes {quoted} for {spec}, the golden file gives {want}")
    return 1 if differs and not update else 0


if __name__ == "__main__":
    sys.exit(main())
