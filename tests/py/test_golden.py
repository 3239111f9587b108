"""Golden outputs: every example scenario's key metrics at a few core counts, byte-exact against
tests/golden/NAME.csv, and every number the docs quote from them (scripts/golden.py). A difference is a changed
model: review it, then regenerate with `make golden` (scripts/golden.py build/smpsim --update)."""
from __future__ import annotations

import difflib
import importlib.util
import json

import pytest

from conftest import ROOT, smpsim_bin

spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
golden = importlib.util.module_from_spec(spec)
spec.loader.exec_module(golden)


def test_every_example_scenario_has_a_golden_file():
    names = golden.scenarios()
    skipped = set(golden.manifest()["skip"])
    assert len(names) >= 30 and not skipped & set(names)
    for name in names:
        assert (golden.GOLDEN / f"{name}.csv").exists(), f"no golden output for scenarios/{name}.json: make golden"
    stale = {p.stem for p in golden.GOLDEN.glob("*.csv")} - set(names)
    assert not stale, f"golden files without a scenario: {sorted(stale)}"


@pytest.mark.parametrize("name", golden.scenarios())
def test_golden_output(name):
    want = (golden.GOLDEN / f"{name}.csv").read_text()
    got = golden.render(name, smpsim_bin())
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "now"))
        pytest.fail(f"scenarios/{name}.json no longer gives tests/golden/{name}.csv (review, then make golden):\n{diff}")


def test_docs_quote_the_golden_files():
    quotes = golden.doc_quotes()
    assert quotes, "the docs quote golden numbers"
    wrong = [f"{d.relative_to(ROOT)}: {q} for {s}, golden {w}" for d, s, q, w in quotes if q != w]
    assert not wrong, "\n".join(wrong)


def test_golden_marker_errors_are_clear():
    with pytest.raises(ValueError, match="expected scenario:variant:cores:column:scale:decimals"):
        golden.golden_value("xio_cp:references-local:1", {})
    with pytest.raises(ValueError, match="no row 'nope' at 1 cores"):
        golden.golden_value("xio_cp:nope:1:op_latency_ns:1:0", {})
    assert golden.golden_value("xio_cp:references-local:1:ops:1:0", {}) == "4"
