#!/usr/bin/env python3
"""smpsim benchmarks: `make bench` (or `python3 bench/run.py [--scale S] [--only NAME]`).

For each fixed benchmark: wall time, simulated events (every time advance or wait the models ask for,
summed over the points) and of those the engine events (the ones SimGrid had to take; the others were
run ahead, see docs/performance.md), events per second, host CPU nanoseconds per simulated event, and
peak RSS (the largest process), beside the same figures for a bare binary-heap event loop
(bench/heap_loop.cpp) run on as many events in this invocation, so that the ratio holds on any machine. Prints a table with each figure beside its target.
Exits non-zero only when something crashes: a slow machine is not a failure. --scale divides the op
counts (for a quick look); the targets are for --scale 1."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(os.environ.get("BUILD", ROOT / "build"))
SMPSIM = BUILD / "smpsim"
HEAP = BUILD / "smpsim_heap_loop"
BIG = {  # machines for many cores: the EPYC preset's latencies, more sockets
    256: {"preset": "epyc96", "sockets": 4, "dies_per_socket": 8, "cores_per_die": 8, "threads_per_core": 1},
    1024: {"preset": "epyc96", "sockets": 16, "dies_per_socket": 8, "cores_per_die": 8, "threads_per_core": 1},
}


def run(cmd) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, the whole process tree) and peak RSS (KiB) of the
    largest process of the command's tree."""
    t0 = time.monotonic()
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    err = p.stderr.read().decode()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}): {err[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def events_of(results: Path) -> tuple[int, int]:
    """(simulated events, engine events) summed over a results file's points."""
    ms = [json.loads(l)["metrics"] for l in results.read_text().splitlines() if l.strip()]
    return sum(int(m.get("simulated_events", m["engine_events"])) for m in ms), sum(int(m["engine_events"]) for m in ms)


def scenario(tmp: Path, name: str, edit) -> Path:
    src = ROOT / "scenarios" / name
    doc = json.loads(src.read_text())
    edit(doc)
    path = tmp / f"{name.replace('/', '_')}"
    path.write_text(json.dumps(doc))
    return path


def sweep(tmp: Path, scen: Path, cores: str, out: str, jobs: int):
    wall, cpu, rss = run([SMPSIM, "sweep", scen, "--cores", cores, "--out", tmp / out, "--jobs", jobs, "--quiet"])
    return wall, cpu, rss, events_of(tmp / out / "results.jsonl")


def point(tmp: Path, scen: Path, cores: int, name: str):
    res = tmp / f"{name}.json"
    wall, cpu, rss = run([SMPSIM, "run", scen, "--cores", cores, "--result-file", res])
    m = json.loads(res.read_text())["metrics"]
    return wall, cpu, rss, (int(m.get("simulated_events", m["engine_events"])), int(m["engine_events"]))


def heap_ns(events: int, actors: int) -> float:
    out = subprocess.run([HEAP, str(min(events, 50_000_000)), str(actors)], capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="divide op counts by this (targets hold for 1)")
    ap.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    sc = args.scale
    rows = []
    with tempfile.TemporaryDirectory(prefix="smpsim-bench-") as t:
        tmp = Path(t)

        def want(name):
            return not args.only or name in args.only

        def record(name, what, wall, cpu, rss, events, actors, target_s=None, target_rss_mib=None):
            sim_ev, engine_ev = events
            ns = cpu * 1e9 / max(1, sim_ev)  # CPU time: points run --jobs at a time, the bare loop on one CPU
            bare = heap_ns(sim_ev, actors)
            rows.append({"name": name, "what": what, "wall_s": wall, "cpu_s": cpu, "events": sim_ev,
                         "engine_events": engine_ev, "events_per_s": sim_ev / wall, "ns_per_event": ns,
                         "bare_ns_per_event": bare, "ratio": ns / bare, "rss_mib": rss / 1024,
                         "target_s": target_s, "target_rss_mib": target_rss_mib})
            print(f"  {name}: {wall:.1f} s, {sim_ev:,} events ({engine_ev:,} by the engine)", file=sys.stderr, flush=True)

        acq = max(1, int(20000 / sc))
        if want("lock_sweep"):
            def e(d):
                d["workload"]["acquisitions_per_core"] = acq
                d["run"]["warmup_ops"] = acq // 10
            s = scenario(tmp, "ticket_vs_mcs.json", e)
            record("lock_sweep", f"ticket and MCS, 1-48 cores, {acq:,} acquisitions per core",
                   *sweep(tmp, s, "1-48", "lock", args.jobs), 48, target_s=10)
        if want("design_review"):
            def e(doc):
                doc["machine"] = BIG[256]
                doc["sweep"].pop("cores")  # the designs stay a sweep axis
                for v in doc["variants"]:
                    for k in ("rounds",):
                        if k in v["set"]["/workload"]:
                            v["set"]["/workload"][k] = max(1, int(v["set"]["/workload"][k] / sc))
            s = scenario(tmp, "design_review.json", e)
            record("design_review", "3 designs x 4 workloads x 1-256 cores (x2), 256-core EPYC-like machine",
                   *sweep(tmp, s, "1-256:x2", "review", args.jobs), 256, target_s=60)
        for wl, name in (("vmlocal.json", "vmlocal_1024"), ("ticket_vs_mcs.json", "lock_micro_1024")):
            if not want(name):
                continue
            def e(d):
                d["machine"] = BIG[1024]
                d.pop("variants", None)
                if "rounds" in d["workload"]:
                    d["workload"]["rounds"] = max(1, int(d["workload"]["rounds"] / sc))
                if "acquisitions_per_core" in d["workload"]:
                    d["workload"]["acquisitions_per_core"] = max(10, int(1000 / sc))
                    d["workload"]["lock"] = "mcs"
                    d["run"]["warmup_ops"] = max(1, d["workload"]["acquisitions_per_core"] // 10)
            s = scenario(tmp, wl, e)
            record(name, f"one 1,024-core point of {wl.split('.')[0]}", *point(tmp, s, 1024, name), 1024,
                   target_s=30, target_rss_mib=2048)
        if want("op_scaling"):
            walls = []
            for n in (max(1, int(2000 / sc)), max(10, int(20000 / sc))):
                def e(d, n=n):
                    d["workload"].update(acquisitions_per_core=n, lock="mcs")
                    d["run"]["warmup_ops"] = n // 10
                    d.pop("variants", None)
                s = scenario(tmp, "ticket_vs_mcs.json", e)
                w, c, r, ev = point(tmp, s, 16, f"ops{n}")
                walls.append((n, w, c, r, ev))
            (n1, w1, _, _, e1), (n2, w2, c2, r2, e2) = walls
            record("op_scaling", f"MCS at 16 cores, {n1:,} then {n2:,} acquisitions per core: wall x{w2 / w1:.1f} "
                   f"for ops x{n2 / n1:.0f} (linear: x{n2 / n1:.0f})", w2, c2, r2, e2, 16)
        if want("ops_memory"):
            rss_by = []
            for n in (max(10, int(5000 / sc)), max(100, int(500000 / sc))):
                def e(d, n=n):
                    d["workload"].update(acquisitions_per_core=n, lock="mcs")
                    d["run"]["warmup_ops"] = 10
                    d.pop("variants", None)
                s = scenario(tmp, "ticket_vs_mcs.json", e)
                w, c, r, ev = point(tmp, s, 8, f"mem{n}")
                rss_by.append((n, r))
            (n1, r1), (n2, r2) = rss_by
            record("ops_memory", f"MCS at 8 cores, {n1:,} then {n2:,} acquisitions per core: peak RSS {r1 / 1024:.1f} "
                   f"then {r2 / 1024:.1f} MiB (ops x{n2 // n1}; bounded: RSS does not grow with ops)", w, c, r2, ev, 8,
                   target_rss_mib=round(r1 / 1024 + 4))
        if want("core_scaling"):
            total = max(1000, int(256000 / sc))
            parts = []
            for cores in (8, 64, 512):
                def e(d, cores=cores):
                    d["machine"] = BIG[1024]
                    d["workload"].update(acquisitions_per_core=max(10, total // cores), lock="mcs")
                    d["run"]["warmup_ops"] = max(1, total // cores // 10)
                    d.pop("variants", None)
                s = scenario(tmp, "ticket_vs_mcs.json", e)
                w, c, r, ev = point(tmp, s, cores, f"cores{cores}")
                parts.append(f"{cores}: {w:.2f} s")
            record("core_scaling", f"MCS, {total:,} acquisitions in all, on 8 / 64 / 512 cores: " + ", ".join(parts),
                   w, c, r, ev, 512)

    print()
    print(f"machine: {os.uname().nodename}, {os.cpu_count()} CPUs; scale 1/{sc:g}; smpsim {SMPSIM}")
    hdr = f"{'benchmark':<16} {'wall s':>8} {'target':>8} {'events':>12} {'by engine':>11} {'events/s':>11} " \
          f"{'ns/event':>9} {'bare ns':>8} {'ratio':>6} {'target':>6} {'RSS MiB':>8} {'target':>7}"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        ts = f"<{r['target_s']}" if r["target_s"] else ""
        tr = f"<{r['target_rss_mib']}" if r["target_rss_mib"] else ""
        print(f"{r['name']:<16} {r['wall_s']:>8.2f} {ts:>8} {r['events']:>12,} {r['engine_events']:>11,} "
              f"{r['events_per_s']:>11,.0f} "
              f"{r['ns_per_event']:>9.0f} {r['bare_ns_per_event']:>8.1f} {r['ratio']:>6.1f} {'<10':>6} "
              f"{r['rss_mib']:>8.1f} {tr:>7}")
    for r in rows:
        print(f"  {r['name']}: {r['what']}")
    print("ns/event: host CPU ns per simulated event (all processes); bare: the binary-heap loop's, same count")
    (ROOT / "out").mkdir(exist_ok=True)
    (ROOT / "out" / "bench.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
