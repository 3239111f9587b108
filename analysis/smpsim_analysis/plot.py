"""smpsim-plot RESULTS.jsonl --out DIR [--metric speedup|throughput] [--log]: speedup (with ideal
scaling and, for ticket-lock series, the Markov model) or throughput vs cores per variant, on linear or
log-log axes; with replications, means with 95% confidence bars."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from . import markov  # noqa: E402
from .results import ResultsError, mean_frame, points_frame, read_jsonl  # noqa: E402

# Deterministic SVG output (no timestamps, fixed ids).
matplotlib.rcParams["svg.hashsalt"] = "smpsim"
matplotlib.rcParams["svg.fonttype"] = "none"


def markov_overlay(series) -> dict[int, float]:
    """Model curve on the series' own a, s and per-n c (cycles)."""
    row = series.iloc[0]
    c_by_n = {n: markov.c_from_reread(r) for n, r in zip(series.cores, series.mean_reread_cycles)}
    return markov.speedup_curve(sorted(series.cores), row.think_cycles, row.cs_cycles, lambda n: c_by_n[n])


def speedup_figure(df, title: str, metric: str = "speedup", log: bool = False):
    """`metric` (speedup or throughput_per_s) vs cores per variant; with replications, their mean with 95%
    confidence bars; `log`: both axes logarithmic (base 2 for cores)."""
    df = mean_frame(df)
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=120)
    top = int(df.cores.max())
    if metric == "speedup":
        ax.plot([1, top], [1, top], color="0.75", lw=1, ls=":", label="ideal")
    reps = int(df.replications.max())
    for variant, s in df.groupby("variant", sort=False):
        s = s.sort_values("cores")
        label = f"{variant} (simulated{f', mean of {reps}, 95% CI' if reps > 1 else ''})"
        (line,) = ax.plot(s.cores, s[metric], marker="o", ms=3, lw=1.5, label=label)
        if reps > 1:
            ax.errorbar(s.cores, s[metric], yerr=s[f"{metric}_ci95"], fmt="none", ecolor=line.get_color(), capsize=2,
                        lw=1)
        if metric == "speedup" and (s.lock_kind == "ticket").all() and (s.cores == 1).any():
            m = markov_overlay(s)
            ax.plot(list(m), list(m.values()), color=line.get_color(), ls="--", lw=1,
                    label=f"{variant} (Markov model, peak {markov.peak(m)})")
    ax.set_xlabel("cores")
    ax.set_ylabel("speedup (throughput / 1-core throughput)" if metric == "speedup" else "throughput (ops/s)")
    ax.set_title(title)
    if log:
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
    else:
        ax.set_xlim(0, top + 1)
        ax.set_ylim(0, None)
    ax.grid(True, alpha=0.3, which="both" if log else "major")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="smpsim-plot", description=__doc__)
    p.add_argument("results", help="results.jsonl from smpsim sweep")
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--metric", choices=("speedup", "throughput"), default="speedup",
                   help="speedup over the 1-core point (default), or throughput in ops/s")
    p.add_argument("--log", action="store_true", help="log-log axes (files named *_log)")
    args = p.parse_args(argv)
    try:
        docs = read_jsonl(args.results)
    except (OSError, ResultsError) as e:
        print(f"smpsim-plot: error: {e}", file=sys.stderr)
        return 2
    df = points_frame(docs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    first = docs[0]
    title = f"{first['name']} on {first['scenario']['machine']['name']}"
    metric = "speedup" if args.metric == "speedup" else "throughput_per_s"
    fig = speedup_figure(df, title, metric, args.log)
    stem = args.metric + ("_log" if args.log else "")
    for ext in ("png", "svg"):
        fig.savefig(out / f"{stem}.{ext}", metadata={"Date": None} if ext == "svg" else {"Software": None})
    plt.close(fig)
    print(f"smpsim-plot: wrote {out / (stem + '.png')} and {out / (stem + '.svg')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
