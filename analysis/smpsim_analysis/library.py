"""smpsim-library: run the scenario library (scenarios/library/claims.json) and check each seed's claim.

Each claim names a scenario, the core counts to sweep and checks on the results: orderings or ratios
between variants at a core count (`a op factor x b`), or a metric against a value; `~` is equality
within a tolerance. A claim may instead expect the run to end with an exit code (a deadlock). With
--short, each scenario's `short` overrides (dotted paths) make the runs small, as the tests use them.
Writes DIR/<claim>/ (the sweep, and unless --no-report its HTML report) and DIR/index.html."""
from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import report

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios" / "library" / "claims.json"


@dataclass
class Outcome:
    claim: dict
    ok: bool = True
    details: list = field(default_factory=list)
    report: Path | None = None


def load_library(path: Path = LIBRARY) -> list[dict]:
    return json.loads(Path(path).read_text())["claims"]


def _set_dotted(doc: dict, path: str, value) -> None:
    keys = path.split(".")
    node = doc
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


def _metric(docs: dict, metric: str, variant: str, cores: int) -> float:
    if "@" in variant:
        variant, cores = variant.split("@")[0], int(variant.split("@")[1])
    d = docs.get((variant, cores))
    if d is None:
        raise KeyError(f"no point {variant} at {cores} cores")
    if metric == "speedup":
        base = docs.get((variant, 1))
        if base is None:
            raise KeyError(f"no 1-core point of {variant} for its speedup")
        return d["metrics"]["throughput_per_s"] / base["metrics"]["throughput_per_s"]
    node = d["metrics"]
    for k in metric.split("."):
        node = node[k]
    return float(node)


def check(c: dict, docs: dict) -> tuple[bool, str]:
    a = _metric(docs, c["metric"], c["a"], c["cores"])
    if "value" in c:
        b, what = float(c["value"]), f"{c['value']}"
    else:
        raw = _metric(docs, c["metric"], c["b"], c["cores"])
        b = raw * c.get("factor", 1)
        what = (f"{c['factor']} x " if "factor" in c else "") + f"{c['b']} ({raw:.4g})"
    op = c["op"]
    ok = {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b, "==": a == b,
          "~": abs(a - b) <= c.get("tolerance", 0.05) * abs(b)}[op]
    return ok, f"{c['metric']} at {c['cores']} cores: {c['a']} ({a:.4g}) {op} {what}"


def run_claim(claim: dict, smpsim: str, out: Path, short: bool, jobs: int) -> Outcome:
    o = Outcome(claim)
    doc = json.loads((ROOT / "scenarios" / claim["scenario"]).read_text())
    if short:
        for path, value in claim.get("short", {}).items():
            _set_dotted(doc, path, value)
    out.mkdir(parents=True, exist_ok=True)
    scen = out / "scenario.json"
    scen.write_text(json.dumps(doc, indent=2))
    if "expect_exit" in claim:
        p = subprocess.run([smpsim, "run", str(scen), "--cores", claim["cores"]], capture_output=True, text=True,
                           timeout=300)
        ok = p.returncode == claim["expect_exit"] and claim.get("expect_stderr", "") in p.stderr
        o.ok = ok
        o.details.append(f"exit code {p.returncode} (expected {claim['expect_exit']}); "
                         + (p.stderr.strip().splitlines() or [""])[0])
        (out / "stderr.txt").write_text(p.stderr)
        return o
    sweep_dir = out / "sweep"
    cores = claim["cores"] if short else claim.get("full_cores", claim["cores"])
    p = subprocess.run([smpsim, "sweep", str(scen), "--cores", cores, "--out", str(sweep_dir), "--jobs",
                        str(jobs), "--quiet"], capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        o.ok = False
        o.details.append(f"the sweep failed (exit {p.returncode}): {p.stderr.strip()[:500]}")
        return o
    docs = {}
    for line in (sweep_dir / "results.jsonl").read_text().splitlines():
        d = json.loads(line)
        docs[(d["variant"], d["cores"])] = d
    for c in claim["checks"]:
        try:
            ok, text = check(c, docs)
        except KeyError as e:
            ok, text = False, f"{c['metric']}: {e}"
        o.ok &= ok
        o.details.append(("PASS " if ok else "FAIL ") + text)
    return o


def write_index(outcomes: list[Outcome], out: Path) -> Path:
    rows = []
    for o in outcomes:
        c = o.claim
        link = f"<a href='{html.escape(str(o.report.relative_to(out)))}'>report</a>" if o.report else ""
        rows.append(f"<tr><td>{html.escape(c['id'])}</td><td>{html.escape(c['seed'])}</td>"
                    f"<td style='text-align:left'>{html.escape(c['claim'])}"
                    + (f"<br><i>smpsim: {html.escape(c['finding'])}</i>" if c.get("finding") else "")
                    + f"<br><small>{'<br>'.join(html.escape(d) for d in o.details)}</small></td>"
                    f"<td><b>{'holds' if o.ok else 'DOES NOT HOLD'}</b></td><td>{html.escape(c['scenario'])} {link}</td></tr>")
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>smpsim scenario library</title><style>"
            "body{font-family:sans-serif;max-width:1300px;margin:2em auto}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}</style></head><body>"
            "<h1>smpsim scenario library: the seeds' claims</h1><table><tr><th>claim</th><th>seed</th><th>what smpsim says"
            "</th><th>verdict</th><th>scenario</th></tr>" + "".join(rows) + "</table></body></html>\n")
    index = out / "index.html"
    index.write_text(page)
    return index


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="smpsim-library", description=__doc__.splitlines()[0])
    p.add_argument("--out", default="out/library", help="output directory")
    p.add_argument("--smpsim", default=os.environ.get("SMPSIM", str(ROOT / "build" / "smpsim")))
    p.add_argument("--short", action="store_true", help="small runs (each claim's `short` overrides)")
    p.add_argument("--only", action="append", help="run only this claim id (repeatable)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    p.add_argument("--no-report", action="store_true", help="skip the HTML report of each scenario")
    args = p.parse_args(argv)
    out = Path(args.out)
    claims = [c for c in load_library() if not args.only or c["id"] in args.only]
    outcomes = []
    for c in claims:
        o = run_claim(c, args.smpsim, out / c["id"], args.short, args.jobs)
        if not args.no_report and "checks" in c and (out / c["id"] / "sweep" / "results.jsonl").exists():
            o.report = report.build([out / c["id"] / "sweep"], out / c["id"] / "report")
        print(f"{'holds' if o.ok else 'FAILS':6} {c['id']}: " + "; ".join(o.details), flush=True)
        outcomes.append(o)
    index = write_index(outcomes, out)
    failed = [o.claim["id"] for o in outcomes if not o.ok]
    print(f"smpsim-library: {len(outcomes) - len(failed)} of {len(outcomes)} claims hold; index: {index}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
