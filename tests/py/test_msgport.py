"""The message-port design (first slice): ops travel to their object's owner CPU."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def run(tmp_path, doc, cores, variant):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, "--cores", str(cores), "--variant", variant, check=True).stdout)["metrics"]


def test_a_hot_owner_saturates(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_vs_traditional.json").read_text())
    doc["workload"]["rounds"] = 60
    m8, m48 = run(tmp_path, doc, 8, "msgport"), run(tmp_path, doc, 48, "msgport")
    t48 = run(tmp_path, doc, 48, "traditional")
    # every open and close from a CPU other than the file's owner is a message, served by the owner
    assert m48["events"]["xcalls"] == m48["events"]["xcalls_served"] == 47 * 60 * 2
    assert t48["events"]["xcalls"] == 0
    assert m48["throughput_per_s"] < 1.5 * m8["throughput_per_s"]  # one owner: no more throughput to add
    assert m48["throughput_per_s"] < t48["throughput_per_s"]
    owner = max(m48["cores"], key=lambda c: c["xcalls_served"])
    assert owner["xcalls_served"] == m48["events"]["xcalls_served"]


def test_one_cpu_sends_no_messages(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_vs_traditional.json").read_text())
    doc["workload"]["rounds"] = 30
    a, b = run(tmp_path, doc, 1, "msgport"), run(tmp_path, doc, 1, "traditional")
    assert a["events"]["xcalls"] == 0
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
