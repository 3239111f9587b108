"""The layers of docs/extending.md: engine/ at the bottom, models/ above it, sim/ (the application) on top."""
from __future__ import annotations

import re

from conftest import ROOT

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def includes(layer: str):
    for path in sorted((ROOT / layer).rglob("*")):
        if path.suffix in (".hpp", ".cpp"):
            for inc in INCLUDE.findall(path.read_text()):
                yield path.relative_to(ROOT), inc


def test_models_do_not_include_the_application():
    bad = [(str(p), inc) for p, inc in includes("models") if inc.startswith("sim/")]
    assert bad == []


def test_the_engine_includes_only_itself():
    bad = [(str(p), inc) for p, inc in includes("engine") if not inc.startswith("engine/")]
    assert bad == []


def test_the_cpu_model_does_not_hold_design_counters():
    """Cross calls and messages are counted by the design's transport, not by the CPU model."""
    core = (ROOT / "models" / "cpu" / "core.hpp").read_text()
    assert "xcalls" not in core and "messages_local" not in core
