"""scenarios/schema.json documents the format the C++ loader accepts."""
from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT
from test_bad_input import BAD

SCHEMA = json.loads((ROOT / "scenarios" / "schema.json").read_text())


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


SCENARIOS = sorted(str(p.relative_to(ROOT / "scenarios")) for p in (ROOT / "scenarios").rglob("*.json")
                   if p.name != "schema.json" and p.parent.name != "library")


@pytest.mark.parametrize("scen", SCENARIOS)
def test_shipped_scenarios_match_schema(scen):
    jsonschema.validate(json.loads((ROOT / "scenarios" / scen).read_text()), SCHEMA)


# Malformed scenarios whose fault is structural: the schema must reject them
# too (cross-field rules such as warm-up < acquisitions are the loader's alone).
STRUCTURAL = ["top_level_array", "unknown_key", "unknown_nested_key", "wrong_type", "negative_cycles",
              "unknown_preset", "unknown_lock", "zero_acquisitions", "fractional_count", "bad_schema_version",
              "missing_workload", "bad_design", "bad_protocol"]


@pytest.mark.parametrize("name", STRUCTURAL)
def test_schema_rejects_structural_faults(name):
    doc = json.loads((BAD / f"{name}.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


def test_schema_describes_every_field():
    """Every property in the schema carries a description (the docs users read)."""
    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, sub in node.get("properties", {}).items():
                if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub:
                    missing.append(f"{path}/{key}")
                walk(sub, f"{path}/{key}")
            for key in ("$defs", "items", "oneOf", "allOf"):
                if key in node:
                    walk(node[key], f"{path}/{key}")
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, f"{path}/{i}")

    walk(SCHEMA, "")
    assert missing == []


def test_schema_machine_fields_match_the_declared_parameters():
    """The C++ parameter declarations (smpsim describe machine) and the schema list the same fields."""
    from conftest import run_smpsim
    out = run_smpsim("describe", "machine", check=True).stdout
    params_part = out.split("Machine parameters")[1]
    declared = {line.split()[0] for line in params_part.splitlines()[2:] if line.startswith("  ") and not line.startswith("   ")}
    assert declared == set(SCHEMA["$defs"]["machine"]["properties"])
    presets = {line.split()[0] for line in out.split("Machine parameters")[0].splitlines()[2:]
               if line.startswith("  ") and "CPUs" in line}
    assert presets == set(SCHEMA["properties"]["machine"]["oneOf"][0]["enum"])


def test_schema_workloads_match_the_declared_parameters():
    """Each workload kind and its parameters (declared in C++) appear in the schema with the same
    type, range, choices and default."""
    from conftest import run_smpsim
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)
    branches = {b["properties"]["kind"]["const"]: b for b in SCHEMA["properties"]["workload"]["oneOf"]}
    assert set(branches) == {w["name"] for w in declared["workloads"]}
    for w in declared["workloads"]:
        props = branches[w["name"]]["properties"]
        assert set(props) == {"kind"} | {p["name"] for p in w["params"]}, w["name"]
        for p in w["params"]:
            s = props[p["name"]]
            if p["type"] == "enum":
                assert s["enum"] == p["choices"], (w["name"], p["name"])
            elif p["type"] == "array":
                assert s["type"] == "array"
            else:
                assert s["type"] == p["type"] and s["minimum"] == p["min"] and s["maximum"] == p["max"]
            assert s.get("default") == p["default"], (w["name"], p["name"])
            assert (p["name"] in branches[w["name"]]["required"]) == (p["default"] is None)
    assert declared["machine"]["presets"] == SCHEMA["properties"]["machine"]["oneOf"][0]["enum"]


def test_the_checked_in_schema_is_current():
    """The design and workload sections are generated from the C++ declarations (scripts/update_schema.py):
    the checked-in schema is what the generator makes now."""
    import importlib.util
    from conftest import run_smpsim
    spec = importlib.util.spec_from_file_location("update_schema", ROOT / "scripts" / "update_schema.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)
    assert mod.generate(declared, SCHEMA) == SCHEMA, "run scripts/update_schema.py build/smpsim"


def test_schema_design_branches_accept_only_their_own_fields():
    """One branch per design kind: a field of another design fails validation."""
    declared = json.loads(__import__("conftest").run_smpsim("describe", "json", check=True).stdout)["designs"]
    branches = {b["properties"]["kind"]["const"]: b for b in SCHEMA["properties"]["design"]["oneOf"]}
    assert set(branches) == {d["name"] for d in declared}
    base = json.loads((ROOT / "scenarios" / "fops.json").read_text())
    for design, ok in (({"kind": "traditional"}, True), ({"kind": "traditional", "instances": 4}, False),
                       ({"kind": "cccluster", "instances": 4}, True), ({"kind": "msgport", "fs_access": "shared"}, False),
                       ({"kind": "msgport", "messages": "heavy"}, True), ({"kind": "nonesuch"}, False)):
        doc = dict(base, design=design)
        errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc))
        assert (not errors) == ok, design
