"""Load smpsim results (results.jsonl, summary.csv) into pandas."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import SCHEMA_VERSION


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
            "throughput_per_s": m["throughput_per_s"],
            "lock_kind": lock.get("kind", wl.get("lock")),
            "think_cycles": wl.get("think_cycles"),
            "cs_cycles": wl.get("cs_cycles"),
            "freq_ghz": sc["machine"]["freq_ghz"],
            "machine": sc["machine"]["name"],
            "mean_reread_cycles": m["derived"]["mean_reread_cycles"],
        })
    df = pd.DataFrame(rows)
    base = df[df.cores == 1].set_index("variant")["throughput_per_s"]
    df["speedup"] = df.apply(
        lambda r: r.throughput_per_s / base[r.variant] if r.variant in base.index else float("nan"), axis=1)
    return df
