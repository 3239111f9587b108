"""run.warmup_ops: every workload leaves each CPU's first warm-up ops out of the measured window, and the
loader rejects a warm-up that leaves nothing to measure."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_smpsim

# A shipped scenario per workload kind (its first variant), or a document; the sizes stay the scenario's.
SCENARIOS = {
    "coherence_pingpong": "coherence_pingpong.json",
    "counter_micro": "counters.json",
    "exim_like": "exim_like.json",
    "fops": "fops.json",
    "ipi_latency": "ipi_latency.json",
    "message_channel": "message_channel.json",
    "line_contention": "line_contention.json",
    "lock_micro": "ticket_vs_mcs.json",
    "multi_lock": "multi_lock.json",
    "message_multicast": "message_shootdown.json",
    "pfind": "pfind.json",
    "range_map": "range_message_back.json",
    "readers_after_writer": "readers_after_writer.json",
    "rw_micro": "read_mostly.json",
    "script": "new_idea.json",
    "shared_vs_message": "shared_vs_message.json",
    "tlb_shootdown": "tlb_shootdown.json",
    "vm_bench": "vmlocal.json",
    "xio_copy": "xio_cp.json",
    "bandwidth": {"schema_version": 1, "name": "bw", "machine": "opteron48",
                  "workload": {"kind": "bandwidth", "lines_per_cpu": 400}, "run": {"seed": 1}},
}


def kinds() -> list[str]:
    return sorted(w["name"] for w in json.loads(run_smpsim("describe", "json", check=True).stdout)["workloads"])


def test_every_workload_kind_is_covered():
    assert set(kinds()) == set(SCENARIOS)


def window(tmp_path, kind: str, warmup: int) -> dict:
    src = SCENARIOS[kind]
    doc = json.loads((ROOT / "scenarios" / src).read_text()) if isinstance(src, str) else json.loads(json.dumps(src))
    doc.pop("sweep", None)
    variants = doc.pop("variants", None)
    if variants:  # the first variant, applied by the loader
        doc["variants"] = variants[:1]
    doc["run"]["warmup_ops"] = warmup
    doc["run"].pop("cores", None)
    path = tmp_path / f"{kind}-{warmup}.json"
    path.write_text(json.dumps(doc))
    cores = "1" if kind == "xio_copy" else "2"
    args = ["run", path, "--cores", cores] + (["--variant", variants[0]["name"]] if variants else [])
    return json.loads(run_smpsim(*args, check=True).stdout)["metrics"]


@pytest.mark.parametrize("kind", sorted(SCENARIOS))
def test_the_window_starts_after_the_warm_up(tmp_path, kind):
    cold, warm = window(tmp_path, kind, 0), window(tmp_path, kind, 2)
    assert warm["window"]["start_ns"] > cold["window"]["start_ns"], (cold["window"], warm["window"])
    assert warm["window"]["ops"] < cold["window"]["ops"], (cold["window"], warm["window"])


def test_a_warm_up_that_leaves_nothing_to_measure_is_exit_2(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    doc["run"]["warmup_ops"] = doc["workload"]["rounds"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2
    assert "/run/warmup_ops" in p.stderr and "fewer warm-up ops than the" in p.stderr, p.stderr
