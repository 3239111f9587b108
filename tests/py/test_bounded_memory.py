"""A run's memory does not grow with its number of ops: ops are folded into running sums as the CPUs' clocks
allow (models/workload/op_recorder.hpp), statistics are counters. The same point at 1x, 10x and 100x the ops."""
from __future__ import annotations

import json
import os
import subprocess

from conftest import ROOT, smpsim_bin


def peak_rss_kib(args) -> int:
    p = subprocess.Popen([smpsim_bin(), *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    assert p.returncode == 0, p.stderr.read().decode()
    return usage.ru_maxrss  # KiB on Linux


def test_peak_rss_does_not_grow_with_the_ops(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc.pop("variants", None)
    doc["workload"]["lock"] = "mcs"
    doc["run"]["warmup_ops"] = 10
    rss = {}
    for scale in (1, 10, 100):  # 8 CPUs x 1,250 acquisitions, then 10x and 100x (a million ops)
        doc["workload"]["acquisitions_per_core"] = 1250 * scale
        path = tmp_path / f"s{scale}.json"
        path.write_text(json.dumps(doc))
        rss[scale] = peak_rss_kib(["run", path, "--cores", "8", "--result-file", tmp_path / f"r{scale}.json"])
        r = json.loads((tmp_path / f"r{scale}.json").read_text())
        assert r["metrics"]["ops"] == 8 * 1250 * scale
    # keeping 16 bytes per op would add 15 MiB at 100x; a few hundred KiB of noise is allowed
    assert rss[10] - rss[1] < 2048, rss
    assert rss[100] - rss[1] < 2048, rss
