"""smpsim-report RESULTS... --out DIR: one self-contained HTML page for a design review.

Each RESULTS is a sweep's results.jsonl (or its directory). The page has, per sweep, the figures
(embedded PNG; PNG and SVG files are also written to DIR/figures/), the USL fit of every series
(or why it does not hold), tables of throughput and speedup per core count, and the scenario that
produced it; with two or more sweeps, a design-diff section gives throughput ratios at each core
count. smpsim's version and the date are in the header. No external resource is referenced."""
from __future__ import annotations

import argparse
import base64
import datetime
import html
import io
import json
import math
import sys
from pathlib import Path

import matplotlib.pyplot as plt

from . import figures as F
from . import review, usl
from .results import ResultsError, flat_frame, mean_frame, read_jsonl

FIGURES = [
    ("scaling", "Throughput and speedup", F.scaling),
    ("time_states", "Where CPU time goes", F.time_states),
    ("contended_locks", "Contended locks", F.contended_locks),
    ("memory_traffic", "Barriers, atomics and cache-line transfers", F.memory_traffic),
    ("interrupts_messages", "IPIs, TLB shootdowns and messages", F.interrupts_and_messages),
    ("transfer_heatmap", "Who feeds whom: cache-line transfers between CPUs", F.transfer_heatmap),
    ("markov", "Ticket locks against the Markov model", F.markov_overlay),
]

# Tables wider than this many value columns are transposed (core counts as rows): they fit the page.
MAX_TABLE_COLUMNS = 16

CSS = """body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}
h1{border-bottom:2px solid #444}h2{margin-top:2em;border-bottom:1px solid #aaa}
table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#eee}td.l,th.l{text-align:left}img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}
pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px;max-height:400px;white-space:pre-wrap}
.note{color:#a33}.why{background:#f3f7fb;border-left:3px solid #4c72b0;padding:0.4em 0.8em}"""


def _png_b64(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _table(header, rows, left=1) -> str:
    h = "".join(f"<th class='l'>{html.escape(str(c))}</th>" if i < left else f"<th>{html.escape(str(c))}</th>"
                for i, c in enumerate(header))
    body = "".join("<tr>" + "".join(f"<td class='l'>{html.escape(str(c))}</td>" if i < left else
                                    f"<td>{html.escape(str(c))}</td>" for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{h}</tr>{body}</table>"


def _fmt(v, digits=3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.{digits}g}" if abs(v) < 1e4 else f"{v:,.0f}"
    return str(v)


def _fmt_rate(v) -> str:
    """A throughput: whole ops/s with separators, or three significant digits below 100."""
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


def _fit_rows(fits) -> list:
    rows = []
    for label, f in fits.items():
        if isinstance(f, Exception):
            rows.append([label, "", "", "", "", str(f)])
            continue
        ci = lambda lo_hi: f"[{lo_hi[0]:.3g}, {lo_hi[1]:.3g}]"  # noqa: E731
        rows.append([label, f"{f.sigma:.4f} {ci(f.sigma_ci)}", f"{f.kappa:.6f} {ci(f.kappa_ci)}",
                     "" if math.isinf(f.n_star) else f"{f.n_star:.1f}", f"{f.r2:.3f}", f.note()])
    return rows


def _pivot(df, col):
    """A metric by variant and core count (means over replications, with their 95% half-width). Variants are
    rows and core counts columns, unless there are more core counts than fit a page (then transposed)."""
    means = mean_frame(df, metrics=(col,))
    cores = sorted(means.cores.unique())
    cell = {}
    variants = []
    for variant, s in means.groupby("variant", sort=False):
        variants.append(variant)
        for r in s.itertuples():
            ci = getattr(r, f"{col}_ci95")
            cell[(variant, r.cores)] = _fmt(getattr(r, col)) + (f" ± {_fmt(ci, 2)}" if ci else "")
    if len(cores) <= MAX_TABLE_COLUMNS or len(cores) <= len(variants):
        return ["variant"] + [str(n) for n in cores], [[v] + [cell.get((v, n), "") for n in cores] for v in variants]
    return ["cores"] + variants, [[str(n)] + [cell.get((v, n), "") for v in variants] for n in cores]


def comparison_section(docs, figdir: Path, prefix: str) -> str:
    """A sweep over the design: per workload, what one op is, the designs overlaid (throughput and speedup,
    95% confidence bars with replications), the winner at each core count with the crossovers, and why at the
    largest core count."""
    ws = review.workloads(docs)
    if not ws:
        return ""
    out = ["<h3>Designs compared</h3>",
           "<p>Per workload: the designs overlaid; the design with the highest throughput at each core count "
           "(lead: its throughput over the runner-up's) and where the lead changes hands; why, from the statistics "
           "of the design that loses at the largest core count.</p>"]
    for i, w in enumerate(ws):
        out.append(f"<h4>{html.escape(w.label)}</h4>")
        if w.op:
            out.append(f"<p>One op: {html.escape(w.op)}.</p>")
        fig = review.overlay_figure(w)
        for ext in ("png", "svg"):
            fig.savefig(figdir / f"{prefix}designs_{i}.{ext}", metadata={"Date": None} if ext == "svg" else {"Software": None})
        out.append(f"<img alt='{html.escape(w.label)}: the designs overlaid' src='data:image/png;base64,{_png_b64(fig)}'>")
        plt.close(fig)
        ls = review.leads(w)
        rows = [[x.cores, f"level: {x.winner}, {x.runner_up}" if x.tie else x.winner, _fmt_rate(x.throughput),
                 x.runner_up, f"{x.ratio:.2f}x" + (" (within CI)" if x.within_ci else "")] for x in ls]
        out.append(_table(["cores", "winner", "ops/s", "runner-up", "lead"], rows, left=0))
        cross = review.crossovers(ls)
        if cross:
            out.append("<p>Crossovers: " + "; ".join(
                f"between {a} and {b} CPUs the lead passes from {html.escape(x)} to {html.escape(y)}"
                for a, b, x, y in cross) + ".</p>")
        elif ls and all(x.tie for x in ls):
            out.append("<p>No clear winner at any core count.</p>")
        elif ls:
            clear = {x.winner for x in ls if not x.tie}
            out.append(f"<p>No crossover: {html.escape(', '.join(sorted(clear)))} leads wherever a design leads "
                       "clearly (by 1% or more, outside the confidence intervals).</p>")
        out.append(f"<p class='why'>{html.escape(review.why(w))}</p>")
    return "\n".join(out)


def hot_section(docs, top: int = 5) -> str:
    """Per variant, at its largest core count: the lines most transferred (metrics.hot_lines) and the shared
    resources most queued at (metrics.interconnect.resources), where the time under load went."""
    last = {}
    for d in docs:
        v = d.get("variant", "")
        if v not in last or d["cores"] > last[v]["cores"]:
            last[v] = d
    line_rows, res_rows = [], []
    for v, d in last.items():
        m = d["metrics"]
        for h in m.get("hot_lines", [])[:top]:
            line_rows.append([v, d["cores"], h["line"], h["transfers"], _fmt(h["queue_wait_ns"] / 1e3)])
        for r in m.get("interconnect", {}).get("resources", [])[:top]:
            res_rows.append([v, d["cores"], r["resource"], r["kind"], r["requests"], _fmt(100 * r["utilization"]),
                             _fmt(r["wait_avg_ns"]), _fmt(r["wait_max_ns"]), _fmt(r["wait_total_ns"] / 1e3)])
    out = ["<h3>Hot lines and hot resources</h3>",
           "<p>Per variant at its largest core count: the lines with the most transfers (queueing at the line's home "
           "FIFO) and the shared resources (home agents, links, LLCs, memory controllers) with the most queueing.</p>"]
    out.append(_table(["variant", "cores", "line", "transfers", "queue wait (µs)"], line_rows, left=3) if line_rows
               else "<p>No line was transferred.</p>")
    out.append(_table(["variant", "cores", "resource", "kind", "requests", "utilization %", "wait avg (ns)",
                       "wait max (ns)", "wait total (µs)"], res_rows, left=4) if res_rows
               else "<p>No shared resource is modelled on this machine, or none was used.</p>")
    return "\n".join(out)


def sweep_section(docs, figdir: Path, prefix: str, scenario_doc) -> str:
    first = docs[0]
    df = flat_frame(docs)
    fits = F.fit_all(docs)
    out = [f"<h2>{html.escape(first['name'])}</h2>",
           f"<p>{html.escape(first['scenario'].get('description', ''))}</p>",
           f"<p>machine <b>{html.escape(first['scenario']['machine']['name'])}</b>; designs "
           f"{html.escape(', '.join(sorted(df.design.unique())))}; workloads {html.escape(', '.join(sorted(df.workload.unique())))}; "
           f"{len(docs)} points; seed {first['seed']}</p>"]
    out.append(comparison_section(docs, figdir, prefix))
    h, rows = _pivot(df, "throughput_per_s")
    out.append("<h3>Throughput (ops/s) by core count</h3>" + _table(h, rows))
    h, rows = _pivot(df, "speedup")
    out.append("<h3>Speedup over one core</h3>" + _table(h, rows))
    out.append("<h3>Universal Scalability Law fits</h3>"
               "<p>X(N) = &gamma;N / (1 + &sigma;(N&minus;1) + &kappa;N(N&minus;1)), 95% confidence intervals; "
               "a cliff (a point far below the curve fitted to the points before it) is reported instead of a fit.</p>"
               + _table(["series", "sigma [CI]", "kappa [CI]", "N*", "R^2", "verdict"], _fit_rows(fits)))
    left_out = []
    for key, title, fn in FIGURES:
        if key == "markov" and not F.has_ticket_series(docs):
            continue
        try:
            fig = fn(docs, fits) if key == "scaling" else fn(docs)
        except ValueError as e:  # a figure without data is left out, and said so once
            left_out.append(f"{title} ({e})")
            continue
        for ext in ("png", "svg"):
            fig.savefig(figdir / f"{prefix}{key}.{ext}", metadata={"Date": None} if ext == "svg" else {"Software": None})
        out.append(f"<h3>{html.escape(title)}</h3><img alt='{html.escape(title)}' src='data:image/png;base64,{_png_b64(fig)}'>")
        plt.close(fig)
    if left_out:
        out.append("<p class='note'>Not drawn, for want of data: " + html.escape("; ".join(left_out)) + ".</p>")
    out.append(hot_section(docs))
    out.append("<h3>Scenario</h3><pre>" + html.escape(json.dumps(scenario_doc, indent=2)) + "</pre>")
    return "\n".join(out)


def diff_section(sets) -> str:
    """Throughput of each later sweep's variants over the first sweep's, at common core counts."""
    (name_a, docs_a) = sets[0]
    a = flat_frame(docs_a)
    out = ["<h2>Design diff</h2>",
           f"<p>Throughput ratios against <b>{html.escape(name_a)}</b> at each core count both sweeps ran "
           "(above 1: faster than the baseline).</p>"]
    for name_b, docs_b in sets[1:]:
        b = flat_frame(docs_b)
        cores = sorted(set(a.cores) & set(b.cores))
        rows = []
        for (_, va), sa in a.groupby(["name", "variant"], sort=False):
            for (_, vb), sb in b.groupby(["name", "variant"], sort=False):
                if set(a.variant) & set(b.variant) and va != vb:
                    continue  # the same variant names on both sides: compare like with like
                ta, tb = dict(zip(sa.cores, sa.throughput_per_s)), dict(zip(sb.cores, sb.throughput_per_s))
                rows.append([f"{vb} / {va}"] + [_fmt(tb[n] / ta[n]) if n in ta and n in tb and ta[n] else "" for n in cores])
        out.append(f"<h3>{html.escape(name_b)} vs {html.escape(name_a)}</h3>"
                   + _table(["ratio"] + [str(n) for n in cores], rows))
    return "\n".join(out)


def build(paths, out: Path, date: str | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    figdir = out / "figures"
    figdir.mkdir(exist_ok=True)
    sets = []
    for p in paths:
        p = Path(p)
        results = p / "results.jsonl" if p.is_dir() else p
        docs = read_jsonl(results)
        scen = results.parent / "scenario.json"
        scenario_doc = json.loads(scen.read_text()) if scen.exists() else docs[0]["scenario"]
        sets.append((docs[0]["name"], docs, scenario_doc))
    version = sets[0][1][0].get("smpsim_version", "?")
    date = date or datetime.date.today().isoformat()
    title = "smpsim design review: " + ", ".join(n for n, _, _ in sets)
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>smpsim {html.escape(version)}; report made {html.escape(date)}; "
            f"{sum(len(d) for _, d, _ in sets)} simulated points.</p>"]
    for i, (name, docs, scenario_doc) in enumerate(sets):
        body.append(sweep_section(docs, figdir, f"{i}_", scenario_doc))
    if len(sets) > 1:
        body.append(diff_section([(n, d) for n, d, _ in sets]))
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>\n")
    index = out / "index.html"
    tmp = index.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(index)
    return index


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="smpsim-report", description=__doc__.splitlines()[0])
    p.add_argument("results", nargs="+", help="results.jsonl files or sweep directories")
    p.add_argument("--out", required=True, help="output directory (index.html, figures/)")
    p.add_argument("--date", help="the date printed in the report (default: today)")
    args = p.parse_args(argv)
    try:
        index = build(args.results, Path(args.out), args.date)
    except (OSError, ResultsError) as e:
        print(f"smpsim-report: error: {e}", file=sys.stderr)
        return 2
    print(f"smpsim-report: wrote {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
