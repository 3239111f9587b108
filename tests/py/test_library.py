"""The scenario library: every seed's claim, on short runs, holds as smpsim says it does."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, smpsim_bin
from smpsim_analysis import library

CLAIMS = library.load_library()


def test_every_claim_names_a_shipped_scenario_and_a_seed():
    seeds = {c["seed"].split()[0] for c in CLAIMS}
    assert {"000", "001", "002", "003", "004", "classic"} <= seeds
    for c in CLAIMS:
        assert (ROOT / "scenarios" / c["scenario"]).exists(), c["id"]
        assert c.get("checks") or "expect_exit" in c, c["id"]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c["id"] for c in CLAIMS])
def test_claim_holds_on_short_runs(claim, tmp_path):
    o = library.run_claim(claim, str(smpsim_bin()), tmp_path / claim["id"], short=True, jobs=2)
    assert o.ok, "\n".join(o.details)


def test_a_check_that_does_not_hold_is_reported(tmp_path):
    claim = json.loads(json.dumps(next(c for c in CLAIMS if c["id"] == "classic-spinlocks")))
    claim["checks"] = [{"metric": "throughput_per_s", "cores": 16, "a": "ticket", "op": ">", "factor": 3, "b": "mcs"}]
    claim["cores"] = "1,16"
    o = library.run_claim(claim, str(smpsim_bin()), tmp_path / "c", short=True, jobs=2)
    assert not o.ok
    assert o.details[0].startswith("FAIL throughput_per_s at 16 cores: ticket")
