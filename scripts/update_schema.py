#!/usr/bin/env python3
"""Regenerates the machine, design and workload sections of scenarios/schema.json from the parameters
the C++ code declares (`smpsim describe json`): the machine's fields and presets, one branch per design
kind and per workload kind, each accepting only its own fields. Run after adding or changing a machine
parameter, preset, protocol, design or workload;
tests/py/test_schema.py checks that the checked-in schema is current. Also writes the statistics tree
(`describe json`'s "stats") to analysis/smpsim_analysis/stats.json and docs/results.md's statistics section
(tests/py/test_stats_tree.py checks both).
Usage: scripts/update_schema.py build/smpsim"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "scenarios" / "schema.json"


def prop(par, array_of_objects=True):
    t = par["type"]
    if t == "enum":
        j = {"enum": par["choices"]}
    elif t in ("number", "integer"):
        j = {"type": t, "minimum": par["min"] if t == "number" else int(par["min"]),
             "maximum": par["max"] if t == "number" else int(par["max"])}
    elif t == "array":  # a workload's arrays hold objects (phases, mixes); a design's are checked by its parser
        j = {"type": "array", "items": {"type": "object"}} if array_of_objects else {"type": "array"}
    elif t == "object":
        j = {"type": "object"}
    else:
        j = {"type": "string"}
    if par["default"] is not None:
        j["default"] = par["default"]
    j["description"] = par["description"] + (f" ({par['unit']})" if par["unit"] else "")
    return j


def design_section(declared):
    branches = []
    for d in declared["designs"]:
        props = {"kind": {"const": d["name"], "description": d["description"]}}
        for par in d["params"]:
            props[par["name"]] = prop(par, array_of_objects=False)
        branches.append({"type": "object", "additionalProperties": False, "required": ["kind"], "properties": props})
    return {"description": "The kernel design: how kernel objects map to locks and cache lines, and ops to steps "
                           "(`smpsim run --explain OP`; `smpsim describe design`). Optional (the traditional kernel); "
                           "a workload that drives the hardware directly takes none.",
            "oneOf": branches}


def machine_section(declared, schema):
    """The machine's fields from their declarations; the two structured ones (die_hops, coherence_cycles)
    keep their hand-written item schemas, with the declared description."""
    old = schema["$defs"]["machine"]["properties"]
    props, required = {}, []
    for par in declared["machine"]["params"]:
        if par["type"] in ("matrix", "table"):
            j = {k: v for k, v in old[par["name"]].items() if k != "description"}
            j["description"] = par["description"] + (f" ({par['unit']})" if par["unit"] else "")
        else:
            j = prop(par)
        props[par["name"]] = j
        if par["default"] is None and par["type"] != "matrix":  # die_hops is optional (the interconnect's)
            required.append(par["name"])
    schema["$defs"]["machine"] = {"type": "object", "additionalProperties": False, "required": required,
                                  "properties": props}
    presets = declared["machine"]["presets"]
    oneof = schema["properties"]["machine"]["oneOf"]
    oneof[0]["enum"] = presets
    oneof[1]["properties"]["preset"]["enum"] = presets


def generate(declared, schema):
    schema = json.loads(json.dumps(schema))
    machine_section(declared, schema)
    schema["properties"]["design"] = design_section(declared)
    if "design" in schema.get("required", []):
        schema["required"].remove("design")
    branches = []
    for w in declared["workloads"]:
        props = {"kind": {"const": w["name"], "description": w["description"]}}
        required = ["kind"]
        for par in w["params"]:
            props[par["name"]] = prop(par)
            if par["default"] is None:
                required.append(par["name"])
        branches.append({"type": "object", "additionalProperties": False, "required": required, "properties": props})
    schema["properties"]["workload"] = {
        "description": "What every CPU does (the same for every design). `smpsim describe workload` lists the kinds.",
        "oneOf": branches}
    return schema


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/smpsim"
    declared = json.loads(subprocess.run([exe, "describe", "json"], check=True, capture_output=True, text=True).stdout)
    SCHEMA.write_text(json.dumps(generate(declared, json.loads(SCHEMA.read_text())), indent=2) + "\n")
    # The statistics tree: the analysis package's copy and docs/results.md's reference section.
    sys.path.insert(0, str(ROOT / "analysis"))
    from smpsim_analysis import stats
    stats.STATS_JSON.write_text(json.dumps(declared["stats"], indent=1) + "\n")
    doc = ROOT / "docs" / "results.md"
    doc.write_text(stats.replace_doc_section(doc.read_text(), stats.render_markdown(declared["stats"])))


if __name__ == "__main__":
    main()
