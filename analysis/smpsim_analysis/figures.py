"""The design-review figures, one function each, one style. Each takes result documents (the
results.jsonl lines of one or more sweeps) and returns a matplotlib Figure; nothing is drawn
to screen. Series are one per variant (a design, or a design variant)."""
from __future__ import annotations

import math
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import markov, usl  # noqa: E402
from .results import TIME_STATES, ci95_factor, flat_frame, mean_frame, points_frame  # noqa: E402

matplotlib.rcParams.update({
    "svg.hashsalt": "smpsim", "svg.fonttype": "none", "font.size": 9, "axes.titlesize": 10,
    "axes.grid": True, "grid.alpha": 0.3, "legend.fontsize": 7, "figure.dpi": 110,
})
STATE_COLORS = {"user": "#4c72b0", "kernel": "#55a868", "stall": "#c44e52", "spin": "#dd8452",
                "barrier": "#8172b3", "irq": "#937860", "tlb": "#da8bc3", "blocked": "#8c8c8c", "idle": "#cccccc"}


def _series(df):
    """(label, rows sorted by cores) per variant, in first-seen order; the sweep's name joins the label
    when the frame holds several sweeps. With replications a row is the mean over them, and each numeric
    column has its 95% confidence half-width beside it (`<column>_ci95`, Student's t; 0 for one)."""
    several = df["name"].nunique() > 1
    for (name, variant), s in df.groupby(["name", "variant"], sort=False):
        if "replication" in s and s.replication.nunique() > 1:
            g = s.groupby("cores", sort=True)
            mean = g.mean(numeric_only=True)
            n = g.size()
            half = g.std(ddof=1, numeric_only=True).mul([ci95_factor(k) for k in n], axis=0)
            s = mean.join(half.add_suffix("_ci95")).reset_index()
            s["variant"] = variant
        yield (f"{name}: {variant}" if several else variant), s.sort_values("cores")


def _ci(s, col):
    """A series' 95% half-widths of `col` (None without replications)."""
    return s[f"{col}_ci95"] if f"{col}_ci95" in s else None


def scaling(docs, fits: dict | None = None):
    """1. Throughput and speedup vs cores per variant, with ideal scaling, the USL fit and N*."""
    df = flat_frame(docs)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    top = int(df.cores.max())
    ax2.plot([1, top], [1, top], color="0.7", lw=1, ls=":", label="ideal")
    for label, s in _series(df):
        (line,) = ax1.plot(s.cores, s.throughput_per_s, marker="o", ms=3, lw=1.5, label=label)
        ax2.plot(s.cores, s.speedup, marker="o", ms=3, lw=1.5, color=line.get_color(), label=label)
        if _ci(s, "throughput_per_s") is not None:  # replications: 95% confidence bars
            ax1.errorbar(s.cores, s.throughput_per_s, yerr=_ci(s, "throughput_per_s"), fmt="none",
                         ecolor=line.get_color(), capsize=2, lw=1)
            ax2.errorbar(s.cores, s.speedup, yerr=_ci(s, "speedup"), fmt="none", ecolor=line.get_color(),
                         capsize=2, lw=1)
        f = (fits or {}).get(label)
        if isinstance(f, usl.UslFit) and f.holds:
            n = np.linspace(max(1, s.cores.min()), top, 200)
            ax1.plot(n, f.predict(n), color=line.get_color(), ls="--", lw=1, label=f"{label} USL fit")
            if 1 < f.n_star <= top:
                ax1.axvline(f.n_star, color=line.get_color(), ls=":", lw=1)
    ax1.set(xlabel="cores", ylabel="throughput (ops/s)", title="throughput (dashed: USL fit; dotted: N*)")
    ax2.set(xlabel="cores", ylabel="speedup (throughput / 1-core throughput)", title="speedup")
    ax1.set_ylim(0, None)
    ax2.set_ylim(0, None)
    ax1.legend()
    ax2.legend()
    fig.tight_layout()
    return fig


def design_label(variant: str, design: str) -> str:
    """The workload part of a variant named VARIANT+design=KIND (a sweep over the design): the variant
    with its design component removed, so that every design's run of one workload shares a label."""
    return variant.replace(f"+design={design}", "")


def design_groups(df):
    """{workload label: [(design, series)...]} in the order the sweep ran them, for sweeps whose points
    run more than one design; {} otherwise."""
    if df.design.nunique() < 2:
        return {}
    groups: dict = {}
    for (variant, design), s in df.groupby(["variant", "design"], sort=False):
        groups.setdefault(design_label(variant, design), []).append((design, s.sort_values("cores")))
    return {k: v for k, v in groups.items() if len(v) > 1}


def time_states(docs, cores: list[int] | None = None):
    """2. Where CPU time goes (stacked fractions per state), per variant at chosen core counts."""
    df = flat_frame(docs)
    if not cores:
        all_cores = sorted(df.cores.unique())
        cores = sorted({all_cores[len(all_cores) // 2], all_cores[-1]})
    rows = [(f"{label}\n{n} cores", r) for label, s in _series(df) for n in cores
            for _, r in s[s.cores == n].iterrows()]
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(rows) + 2), 4.2))
    bottom = np.zeros(len(rows))
    for st in TIME_STATES:
        vals = np.array([r[f"{st}_frac"] for _, r in rows])
        if vals.sum() == 0:
            continue
        ax.bar(range(len(rows)), vals, bottom=bottom, color=STATE_COLORS[st], label=st)
        bottom += vals
    ax.set_xticks(range(len(rows)))
    ax.set_xticklabels([lbl for lbl, _ in rows], fontsize=7)
    ax.set(ylabel="share of CPU time", title="time per CPU state", ylim=(0, 1))
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    return fig


def _at_max_cores(docs):
    best = {}
    for d in docs:
        key = (d["name"], d["variant"])
        if key not in best or d["cores"] > best[key]["cores"]:
            best[key] = d
    return list(best.values())


def contended_locks(docs, top: int = 6):
    """3. The most contended locks per variant at its largest core count, by their wait as a share of all CPU
    time (what the waiting costs the run: meaningful with one lock as with many), and average wait vs average
    hold per lock."""
    points = _at_max_cores(docs)
    if not any(l["contentions"] for d in points for l in d["metrics"]["locks"]):
        raise ValueError("no lock was contended at the largest core count (or none was taken)")
    several = len({d["name"] for d in docs}) > 1
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    labels, shares, colors = [], [], []
    for i, d in enumerate(points):
        locks = [l for l in d["metrics"]["locks"] if l["acquisitions"]]
        total = sum(d["metrics"]["time_ns"].values()) or 1.0  # all CPUs' time
        tag = (f"{d['name']}: " if several else "") + f"{d['variant']} @{d['cores']}"
        color = f"C{i % 10}"
        for l in sorted((l for l in locks if l["contentions"]), key=lambda l: -l["waittime_total_ns"])[:top]:
            labels.append(f"{tag}  {l['name']}")
            shares.append(l["waittime_total_ns"] / total)
            colors.append(color)
        xs = [l["holdtime_avg_ns"] for l in locks]
        ys = [l["waittime_avg_ns"] for l in locks]
        ax2.scatter(xs, ys, s=14, color=color, label=tag)
    ax1.barh(range(len(labels)), shares, color=colors)
    ax1.set_yticks(range(len(labels)))
    ax1.set_yticklabels(labels, fontsize=6)
    ax1.invert_yaxis()
    ax1.set(xlabel="wait time, share of all CPU time", title=f"most contended locks (top {top} per variant)",
            xlim=(0, max(shares + [0.01]) * 1.1))
    ax2.set(xlabel="average hold time (ns)", ylabel="average wait time (ns)", title="wait vs hold, per lock")
    ax2.set_xscale("symlog")
    ax2.set_yscale("symlog")
    ax2.legend()
    fig.tight_layout()
    return fig


def _per_op_panels(docs, panels, title):
    """One panel per counter that any series has; a counter no run counted is left out, and with none
    there is no figure (ValueError)."""
    df = flat_frame(docs)
    panels = [(col, ylabel) for col, ylabel in panels if col in df and df[col].fillna(0).abs().sum() > 0]
    if not panels:
        raise ValueError("no run counted any of these")
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 3.8), squeeze=False)
    for ax, (col, ylabel) in zip(axes[0], panels):
        for label, s in _series(df):
            (line,) = ax.plot(s.cores, s[col], marker="o", ms=3, lw=1.3, label=label)
            if _ci(s, col) is not None:
                ax.errorbar(s.cores, s[col], yerr=_ci(s, col), fmt="none", ecolor=line.get_color(), capsize=2, lw=1)
        ax.set(xlabel="cores", ylabel=ylabel)
        ax.set_ylim(0, None)
    axes[0][0].legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def memory_traffic(docs):
    """4. Memory barriers, atomics and cache-line transfers per op vs cores."""
    return _per_op_panels(docs, [("perf_full_barriers_per_op", "full barriers per op"),
                                 ("perf_atomics_per_op", "atomics per op"),
                                 ("perf_line_transfers_per_op", "cache-line transfers per op")],
                          "memory barriers, atomics and line transfers")


def interrupts_and_messages(docs):
    """5. IPIs, TLB shootdowns and messages (cross calls and local messages) per op vs cores."""
    return _per_op_panels(docs, [("perf_ipis_sent_per_op", "IPIs sent per op"),
                                 ("perf_tlb_shootdowns_per_op", "TLB shootdowns per op"),
                                 ("perf_messages_per_op", "messages per op (cross calls + local)")],
                          "IPIs, TLB shootdowns and messages")


def transfer_heatmap(docs, variant: str | None = None, cores: int | None = None):
    """6. Who feeds whom: cache-line transfers from CPU i's cache to CPU j, at one point (the
    largest core count with a matrix, of the first variant, unless chosen)."""
    cands = [d for d in docs if "transfer_matrix" in d["metrics"]
             and (variant is None or d["variant"] == variant) and (cores is None or d["cores"] == cores)]
    if not cands:
        raise ValueError("no point with a transfer matrix (runs of at most 64 cores have one)")
    first = cands[0]["variant"]
    d = max((c for c in cands if c["variant"] == first), key=lambda c: c["cores"])
    m = np.array(d["metrics"]["transfer_matrix"], dtype=float)
    fig, ax = plt.subplots(figsize=(5.6, 4.8))
    im = ax.imshow(m, cmap="viridis", origin="upper")
    fig.colorbar(im, ax=ax, label="lines transferred")
    ax.set(xlabel="to CPU", ylabel="from CPU", title=f"cache-line transfers, {d['variant']} @{d['cores']} cores")
    ax.grid(False)
    fig.tight_layout()
    return fig


def markov_overlay(docs):
    """7. Ticket locks against the Markov model of Boyd-Wickizer et al. (2012)."""
    df = mean_frame(points_frame(docs))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    top = int(df.cores.max())
    ax.plot([1, top], [1, top], color="0.7", lw=1, ls=":", label="ideal")
    for variant, s in df.groupby("variant", sort=False):
        s = s.sort_values("cores")
        if not ((s.lock_kind == "ticket").all() and (s.cores == 1).any() and s.cs_cycles.notna().all()):
            continue
        (line,) = ax.plot(s.cores, s.speedup, marker="o", ms=3, lw=1.5, label=f"{variant} (simulated)")
        row = s.iloc[0]
        c_by_n = {n: markov.c_from_reread(r) for n, r in zip(s.cores, s.mean_reread_cycles)}
        m = markov.speedup_curve(sorted(s.cores), row.think_cycles, row.cs_cycles, lambda n: c_by_n[n])
        ax.plot(list(m), list(m.values()), color=line.get_color(), ls="--", lw=1,
                label=f"{variant} (Markov model, peak {markov.peak(m)})")
    ax.set(xlabel="cores", ylabel="speedup (throughput / 1-core throughput)", title="ticket lock vs Markov model")
    ax.set_ylim(0, None)
    ax.legend()
    fig.tight_layout()
    return fig


def _ticket_micro(d) -> bool:
    wl = d["scenario"]["workload"]
    return wl["kind"] == "lock_micro" and wl.get("lock") == "ticket"


def has_ticket_series(docs) -> bool:
    """The Markov model applies: a lock_micro series on a ticket lock with its 1-core point."""
    return any(_ticket_micro(d) and d["cores"] == 1 for d in docs)


def fit_all(docs) -> dict:
    """USL fits per series label (None where the fit is impossible, with the reason)."""
    out = {}
    for label, s in _series(flat_frame(docs)):
        try:
            out[label] = usl.fit(s.cores, s.throughput_per_s)
        except usl.UslError as e:
            out[label] = e
    return out
