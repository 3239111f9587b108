#!/usr/bin/env python3
"""Regenerates the workload section of scenarios/schema.json from the parameters the
C++ code declares (`smpsim describe json`). Run after adding or changing a workload;
tests/py/test_schema.py checks that the two agree. Usage: scripts/update_schema.py build/smpsim"""
import json
import subprocess
import sys
from pathlib import Path

SCHEMA = Path(__file__).resolve().parents[1] / "scenarios" / "schema.json"


def prop(par):
    t = par["type"]
    if t == "enum":
        j = {"enum": par["choices"]}
    elif t in ("number", "integer"):
        j = {"type": t, "minimum": par["min"] if t == "number" else int(par["min"]),
             "maximum": par["max"] if t == "number" else int(par["max"])}
    elif t == "array":
        j = {"type": "array", "items": {"type": "object"}}
    else:
        j = {"type": "string"}
    if par["default"] is not None:
        j["default"] = par["default"]
    j["description"] = par["description"] + (f" ({par['unit']})" if par["unit"] else "")
    return j


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "build/smpsim"
    declared = json.loads(subprocess.run([exe, "describe", "json"], check=True, capture_output=True, text=True).stdout)
    schema = json.loads(SCHEMA.read_text())
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
    SCHEMA.write_text(json.dumps(schema, indent=2) + "\n")


if __name__ == "__main__":
    main()
