"""run.placement and run.cpus: the same N CPUs inside one socket or across sockets."""
from __future__ import annotations

import json

import pytest

from conftest import run_smpsim


def scenario(tmp_path, run: dict, name="s.json"):
    doc = {"schema_version": 1, "name": "placement", "machine": "opteron48",
           "workload": {"kind": "line_contention", "op": "store", "rounds": 40, "gap_cycles": 1000},
           "run": run}
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def remote_transfers(result):
    by = result["metrics"]["coherence"]["transfers_by_distance"]
    return sum(v for k, v in by.items() if k not in ("same_core", "same_die", "same_package"))


def test_spread_crosses_sockets_where_compact_stays_in_one(tmp_path):
    """Six writers of one line: compact puts them on one die (no transfer leaves it), spread over the four
    sockets (most transfers cross the interconnect), and the writes cost more."""
    out = {}
    for p in ("compact", "spread", "scatter"):
        r = run_smpsim("run", scenario(tmp_path, {"placement": p}), "--cores", 6, check=True)
        out[p] = json.loads(r.stdout)
        assert out[p]["scenario"]["run"]["placement"] == p
    assert remote_transfers(out["compact"]) == 0
    assert remote_transfers(out["spread"]) > 0.5 * out["spread"]["metrics"]["coherence"]["misses"]
    assert out["spread"]["metrics"]["op_latency_ns"] > 1.5 * out["compact"]["metrics"]["op_latency_ns"]
    # scatter: one per die: dies 0-5 span 3 sockets, so some transfers stay in a package
    by = out["scatter"]["metrics"]["coherence"]["transfers_by_distance"]
    assert by.get("same_package", 0) > 0 and remote_transfers(out["scatter"]) > 0


def test_an_explicit_cpu_list_is_the_run_and_bounds_a_sweep(tmp_path):
    path = scenario(tmp_path, {"cpus": [0, 12, 24, 36]})
    listed = json.loads(run_smpsim("run", path, check=True).stdout)
    spread = json.loads(run_smpsim("run", scenario(tmp_path, {"placement": "spread"}, "b.json"), "--cores", 4,
                                   check=True).stdout)
    assert listed["cores"] == 4 and listed["scenario"]["run"]["cpus"] == [0, 12, 24, 36]
    assert listed["metrics"] == spread["metrics"] or (
        {k: v for k, v in listed["metrics"].items() if k != "engine_events"}
        == {k: v for k, v in spread["metrics"].items() if k != "engine_events"})
    out = tmp_path / "sweep"
    run_smpsim("sweep", path, "--cores", "1-4", "--out", out, "--quiet", check=True)
    cores = [json.loads(line)["cores"] for line in (out / "results.jsonl").read_text().splitlines()]
    assert cores == [1, 2, 3, 4]
    for cmd in (("run", path, "--cores", 5), ("sweep", path, "--cores", "1-8", "--out", tmp_path / "x", "--quiet")):
        p = run_smpsim(*cmd)  # the list's four CPUs, no more
        assert p.returncode == 2 and "run.cpus" in p.stderr, p.stderr


@pytest.mark.parametrize("run, pointer, needle", [
    ({"cpus": [0, 3, 3]}, "/run/cpus/2", "listed twice"),
    ({"cpus": [0, 48]}, "/run/cpus/1", "[0, 47]"),
    ({"cpus": [0, -1]}, "/run/cpus/1", "[0, 47]"),
    ({"cpus": []}, "/run/cpus", "a list of 1 to 48"),
    ({"cpus": [0], "placement": "spread"}, "/run/placement", "not both"),
    ({"placement": "round_robin"}, "/run/placement", "compact"),
    ({"cpus": [0, 1], "cores": 3}, "/run/cores", "2"),
])
def test_bad_cpu_choices_exit_2_at_their_pointer(tmp_path, run, pointer, needle):
    p = run_smpsim("validate", scenario(tmp_path, run))
    assert p.returncode == 2, p.stdout
    assert pointer in p.stderr and needle in p.stderr, p.stderr
