"""The design review's comparison, for a sweep that runs several kernel designs on the same workloads.

Per workload: what one op is; a figure overlaying the designs (throughput and speedup against cores, 95%
confidence bars when the sweep has replications); which design wins at each core count and where the lead
changes hands (crossovers); and one sentence saying why at the largest core count, drawn from the statistics of
the design that loses there (its largest overhead: a lock's wait, cross-call waits, miss stalls with the hottest
line and most queued-at resource, or interrupts), against the winner's share of the same overhead."""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt

from .figures import design_groups
from .results import flat_frame, mean_frame


@dataclass
class Workload:
    label: str
    op: str
    designs: dict  # design -> frame of (cores, throughput_per_s, speedup and their _ci95), sorted by cores
    docs: dict  # design -> {cores: the replication-0 result document}


def workloads(docs) -> list[Workload]:
    """Each workload the designs ran, in the sweep's order; [] for a sweep of one design."""
    df = flat_frame(docs)
    groups = design_groups(df)
    if not groups:
        return []
    means = mean_frame(df)
    by_point = {}
    for d in docs:
        if d.get("replication", 0) == 0:
            by_point[(d["variant"], d["cores"])] = d
    out = []
    for label, series in groups.items():
        designs, docs_by = {}, {}
        op = ""
        for design, s in series:
            variants = set(s.variant)
            m = means[means.variant.isin(variants)].sort_values("cores")
            designs[design] = m.reset_index(drop=True)
            docs_by[design] = {c: by_point[(v, c)] for (v, c) in by_point if v in variants}
            op = op or next(iter(docs_by[design].values()))["metrics"].get("op", "")
        out.append(Workload(label, op, designs, docs_by))
    return out


def overlay_figure(w: Workload):
    """Throughput and speedup against cores, one line per design, 95% confidence bars."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    top = max(int(s.cores.max()) for s in w.designs.values())
    ax2.plot([1, top], [1, top], color="0.7", lw=1, ls=":", label="ideal")
    for design, s in w.designs.items():
        (line,) = ax1.plot(s.cores, s.throughput_per_s, marker="o", ms=3, lw=1.5, label=design)
        ax1.errorbar(s.cores, s.throughput_per_s, yerr=s.throughput_per_s_ci95, fmt="none",
                     ecolor=line.get_color(), capsize=2, lw=1)
        ax2.errorbar(s.cores, s.speedup, yerr=s.speedup_ci95, marker="o", ms=3, lw=1.5, capsize=2,
                     color=line.get_color(), label=design)
    ax1.set(xlabel="cores", ylabel="throughput (ops/s)", title=f"{w.label}: throughput")
    ax2.set(xlabel="cores", ylabel="speedup over the design's 1-core point", title=f"{w.label}: speedup")
    for ax in (ax1, ax2):
        ax.set_ylim(0, None)
        ax.legend()
    fig.tight_layout()
    return fig


TIE_RATIO = 1.01


@dataclass
class Lead:
    cores: int
    winner: str
    throughput: float
    runner_up: str
    ratio: float  # winner over runner-up
    within_ci: bool  # the two confidence intervals overlap (replications)

    @property
    def tie(self) -> bool:
        """No clear winner: the runner-up within 1%, or within the confidence intervals."""
        return self.within_ci or self.ratio < TIE_RATIO


def leads(w: Workload) -> list[Lead]:
    """The winner at each core count every design ran."""
    cores = sorted(set.intersection(*(set(s.cores) for s in w.designs.values())))
    out = []
    for n in cores:
        rows = sorted(((d, s[s.cores == n].iloc[0]) for d, s in w.designs.items()),
                      key=lambda x: -x[1].throughput_per_s)
        (win, a), (second, b) = rows[0], rows[1]
        overlap = (a.throughput_per_s - a.throughput_per_s_ci95 <= b.throughput_per_s + b.throughput_per_s_ci95
                   and (a.throughput_per_s_ci95 > 0 or b.throughput_per_s_ci95 > 0))
        out.append(Lead(int(n), win, float(a.throughput_per_s), second,
                        float(a.throughput_per_s / b.throughput_per_s) if b.throughput_per_s else float("inf"),
                        bool(overlap)))
    return out


def crossovers(ls: list[Lead]) -> list[tuple[int, int, str, str]]:
    """(cores before, cores after, old winner, new winner) wherever the lead passes from one clear winner to
    another (ties in between are skipped: the crossover lies somewhere between the two clear points)."""
    clear = [x for x in ls if not x.tie]
    return [(a.cores, b.cores, a.winner, b.winner) for a, b in zip(clear, clear[1:]) if a.winner != b.winner]


def _total_ns(m) -> float:
    return sum(m["time_ns"].values()) or 1.0


def overheads(doc) -> list[tuple[float, str, str]]:
    """(share of all CPU time, kind, what) of a run's largest costs beyond useful work, largest first."""
    m = doc["metrics"]
    total = _total_ns(m)
    out = []
    locks = [lock for lock in m["locks"] if lock["contentions"]]
    if locks:
        top = max(locks, key=lambda lock: lock["waittime_total_ns"])
        out.append((top["waittime_total_ns"] / total, "lock",
                    f"waiting for {top['name']} ({top['kind']}, {top['contentions']:,} contended of "
                    f"{top['acquisitions']:,} acquisitions)"))
    xw = m["events"].get("xcall_wait_ns", 0.0)
    if xw:
        out.append((xw / total, "xcall", f"waiting for replies to {m['events'].get('xcalls', 0):,} cross calls"))
    stall = m["time_ns"].get("stall_ns", 0.0)
    if stall:
        what = "stalled on cache misses"
        if m.get("hot_lines"):
            h = max(m["hot_lines"], key=lambda h: h["transfers"])
            what += f", the hottest line {h['line']} ({h['transfers']:,} transfers)"
        res = m.get("interconnect", {}).get("resources", [])
        if res and res[0]["wait_total_ns"] > 0:
            what += f", the most queued-at resource {res[0]['resource']} ({100 * res[0]['utilization']:.0f}% busy)"
        out.append((stall / total, "stall", what))
    irq = m["time_ns"].get("irq_ns", 0.0)
    if irq:
        out.append((irq / total, "irq", f"in interrupts ({m['events'].get('ipis_received', 0):,} IPIs received)"))
    tlb = m["time_ns"].get("tlb_ns", 0.0)
    if tlb:
        out.append((tlb / total, "tlb", "walking page tables after TLB misses"))
    return sorted(out, key=lambda x: -x[0])


def _share_of(doc, kind: str) -> float:
    for share, k, _ in overheads(doc):
        if k == kind:
            return share
    return 0.0


def _tp(w: Workload, design: str, n: int) -> float:
    s = w.designs[design]
    return float(s[s.cores == n].iloc[0].throughput_per_s)


def _behind(w: Workload, winner: str, loser: str, n: int) -> str:
    """Why `loser` is behind `winner` at n CPUs: its largest overhead against the winner's share of it."""
    doc, win_doc = w.docs[loser].get(n), w.docs[winner].get(n)
    costs = overheads(doc) if doc else []
    if not costs or costs[0][0] < 0.01:
        return f"{loser} has no overhead above 1% of its CPU time: its ops do more work"
    share, kind, what = costs[0]
    return (f"{loser} spends {100 * share:.0f}% of its CPU time {what}, where {winner} spends "
            f"{100 * _share_of(win_doc, kind):.0f}%")


def why(w: Workload) -> str:
    """One sentence for the largest core count: the winner and its lead, and the largest overhead of the
    runner-up (and of the slowest design, when that is another)."""
    ls = leads(w)
    if not ls:
        return ""
    last = ls[-1]
    n = last.cores
    if last.tie:
        return (f"At {n} CPUs {last.winner} and {last.runner_up} are level ({last.ratio:.2f}x"
                + (", within the 95% confidence intervals" if last.within_ci else "") + ").")
    out = (f"At {n} CPUs {last.winner} leads with {last.throughput:,.0f} ops/s, {last.ratio:.2f}x {last.runner_up}: "
           + _behind(w, last.winner, last.runner_up, n))
    slowest = min(w.designs, key=lambda d: _tp(w, d, n))
    if slowest not in (last.winner, last.runner_up):
        out += (f"; {slowest}, slowest at {last.throughput / _tp(w, slowest, n):.2f}x behind, "
                + _behind(w, last.winner, slowest, n).split(" ", 1)[1])
    return out + "."
