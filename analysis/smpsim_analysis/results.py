"""Load smpsim results (results.jsonl, summary.csv) into pandas."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import SCHEMA_VERSION, stats


class ResultsError(ValueError):
    """A results file that this version cannot read."""


def read_jsonl(path: str | Path) -> list[dict]:
    """The result documents of a sweep, in file order, schema-checked."""
    docs = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as e:
                raise ResultsError(f"{path}:{lineno}: not JSON: {e}") from e
            version = doc.get("schema_version")
            if version != SCHEMA_VERSION:
                raise ResultsError(f"{path}:{lineno}: schema_version {version!r}, expected {SCHEMA_VERSION}")
            docs.append(doc)
    if not docs:
        raise ResultsError(f"{path}: no results")
    return docs


def points_frame(docs: list[dict]) -> pd.DataFrame:
    """One row per point: variant, cores, throughput, the workload parameters
    the models need, and speedup relative to the variant's 1-core point."""
    rows = []
    for d in docs:
        sc, m = d["scenario"], d["metrics"]
        wl = sc["workload"]
        lock = m["locks"][0] if m["locks"] else {}
        rows.append({
            "variant": d["variant"],
            "cores": d["cores"],
            "replication": d.get("replication", 0),
            "throughput_per_s": m["throughput_per_s"],
            "lock_kind": lock.get("kind", wl.get("lock")),
            "think_cycles": wl.get("think_cycles"),
            "cs_cycles": wl.get("cs_cycles"),
            "freq_ghz": sc["machine"]["freq_ghz"],
            "machine": sc["machine"]["name"],
            "mean_reread_cycles": m["derived"]["mean_reread_cycles"],
        })
    df = pd.DataFrame(rows)
    base = df[df.cores == 1].set_index(["variant", "replication"])["throughput_per_s"]
    df["speedup"] = [r.throughput_per_s / base[(r.variant, r.replication)] if (r.variant, r.replication) in base.index
                     else float("nan") for r in df.itertuples()]
    return df


def t95(df_: int) -> float:
    """Student's t quantile of a two-sided 95% interval (as summary.csv's _ci95 columns)."""
    from scipy import stats
    return float(stats.t.ppf(0.975, df_))


def ci95_factor(n: int) -> float:
    """The 95% confidence half-width of a mean of n values over their sample standard deviation: t / sqrt(n)."""
    return t95(n - 1) / n ** 0.5 if n > 1 else 0.0


def mean_frame(df: pd.DataFrame, metrics=("throughput_per_s", "speedup")) -> pd.DataFrame:
    """One row per (variant, cores) of a frame with replications: each metric's mean, its 95% confidence
    half-width (`<metric>_ci95`, Student's t; 0 for one replication) and the other columns of the first
    replication; in the frame's order."""
    rows = []
    for (_variant, _cores), g in df.groupby(["variant", "cores"], sort=False):
        row = g.iloc[0].to_dict()
        n = len(g)
        for m in metrics:
            row[m] = g[m].mean()
            row[f"{m}_ci95"] = ci95_factor(n) * g[m].std(ddof=1) if n > 1 else 0.0
        row["replications"] = n
        rows.append(row)
    return pd.DataFrame(rows)


# Column lists as the C++ code declares them (smpsim describe stats; stats.py).
SUMMARY_COLUMNS = stats.names("summary")
# The metrics with a 95% confidence half-width over replications (summary.csv's <metric>_ci95 columns).
SUMMARY_CI_METRICS = [c[: -len("_ci95")] for c in SUMMARY_COLUMNS if c.endswith("_ci95")]
LOCK_COLUMNS = [c for c in stats.names("locks") if c != "contention_points"]
TIME_STATES = [n[: -len("_ns")] for n in stats.names("time")]


def flat_frame(docs: list[dict]) -> pd.DataFrame:
    """One row per point with its parameters (name, variant, cores, machine, design, workload, seed) and
    its metrics flattened: throughput, speedup, latency, time per CPU state (as a fraction of all CPU
    time), and every perf counter per op (`perf_<name>_per_op`)."""
    rows = []
    for d in docs:
        sc, m = d["scenario"], d["metrics"]
        total = sum(m["time_ns"].values()) or 1.0
        row = {
            "name": d["name"], "variant": d["variant"], "cores": d["cores"], "seed": d["seed"],
            "replication": d.get("replication", 0),
            "machine": sc["machine"]["name"], "design": sc["design"]["kind"], "workload": sc["workload"]["kind"],
            "throughput_per_s": m["throughput_per_s"], "op_latency_ns": m["op_latency_ns"],
            "makespan_ns": m["makespan_ns"], "ops": m["ops"], "acquisitions": m["acquisitions"],
            "lock_objects": m.get("lock_objects"), "acquisitions_per_op": m.get("acquisitions_per_op"),
        }
        for st in TIME_STATES:
            row[f"{st}_frac"] = m["time_ns"].get(f"{st}_ns", 0.0) / total
        per_op = m.get("perf", {}).get("per_op", {})
        for k, v in per_op.items():
            row[f"perf_{k}_per_op"] = v
        row["perf_messages_per_op"] = per_op.get("xcalls", 0.0) + per_op.get("messages_local", 0.0)
        rows.append(row)
    df = pd.DataFrame(rows)
    keys = ["name", "variant", "replication"]
    base = df[df.cores == 1].set_index(keys)["throughput_per_s"]
    df["speedup"] = [r.throughput_per_s / base[(r.name, r.variant, r.replication)]
                     if (r.name, r.variant, r.replication) in base.index else float("nan") for r in df.itertuples()]
    return df


def read_summary(path: str | Path) -> pd.DataFrame:
    """summary.csv, checked against the columns this version writes (its schema); the columns after them are
    the sweep's swept parameters (their dotted paths)."""
    df = pd.read_csv(path)
    if list(df.columns)[:len(SUMMARY_COLUMNS)] != SUMMARY_COLUMNS:
        raise ResultsError(f"{path}: columns {list(df.columns)} are not smpsim's summary (expected {SUMMARY_COLUMNS}, "
                           "then one column per swept parameter)")
    return df


def load(path: str | Path) -> pd.DataFrame:
    """A sweep's results.jsonl (the full documents) or summary.csv, as a frame of one row per point."""
    path = Path(path)
    if path.suffix == ".csv":
        return read_summary(path)
    return flat_frame(read_jsonl(path))
