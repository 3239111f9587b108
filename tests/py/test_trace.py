"""--trace writes a Chrome Trace Event timeline that follows the format's rules."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from conftest import ROOT, run_smpsim


def check_trace(doc):
    ev = doc["traceEvents"]
    assert ev, "empty trace"
    by_tid = defaultdict(list)
    for e in ev:
        assert {"ph", "pid", "tid", "name"} <= set(e), e
        if e["ph"] != "M":
            by_tid[(e["pid"], e["tid"])].append(e)
    # async begins and ends, flow starts and ends: paired by id
    asyncs, flows = defaultdict(list), defaultdict(list)
    for e in ev:
        if e["ph"] in ("b", "e"):
            asyncs[(e["cat"], e["id"])].append(e["ph"])
        if e["ph"] in ("s", "f"):
            flows[e["id"]].append(e)
    assert all(sorted(v) == ["b", "e"] for v in asyncs.values())
    for v in flows.values():
        assert sorted(x["ph"] for x in v) == ["f", "s"]
        s = next(x for x in v if x["ph"] == "s")
        f = next(x for x in v if x["ph"] == "f")
        assert f["ts"] >= s["ts"]
    # flows begin and end inside a slice of their CPU (viewers drop an arrow whose ends bind to no slice)
    slices = defaultdict(list)
    for e in ev:
        if e["ph"] == "X":
            slices[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
    for v in flows.values():
        for x in v:
            assert any(a - 1e-6 <= x["ts"] <= b + 1e-6 for a, b in slices[(x["pid"], x["tid"])]), x
    # slices say what they are
    for e in ev:
        if e["ph"] == "X":
            assert isinstance(e.get("args"), dict), e
            if e["cat"] == "lock":
                assert e["name"].startswith("hold ") and {"lock", "kind"} <= set(e["args"]), e
            if e["cat"] == "irq":
                assert e["args"]["from_cpus"] and e["args"]["vector"] in ("call_function", "reschedule"), e
    for tid, events in by_tid.items():
        ts = [e["ts"] for e in events]
        assert ts == sorted(ts), f"time goes back on {tid}"
        # complete slices nest: each one ends before the enclosing one does
        stack = []
        for e in events:
            if e["ph"] != "X":
                continue
            start, end = e["ts"], e["ts"] + e["dur"]
            while stack and stack[-1] <= start + 1e-9:
                stack.pop()
            if stack:
                assert end <= stack[-1] + 1e-6, (tid, e, stack[-1])
            stack.append(end)
    return ev


@pytest.mark.parametrize("scenario, variant, cores", [
    ("ipi_recipe.json", "list", 4),
    ("spinlocks.json", "ticket", 8),
    ("spinlocks.json", "cohort", 8),
    ("vmlocal.json", "mmap_sem", 6),
    ("read_mostly.json", "rwsem", 6),
    ("cccluster_vs_traditional.json", "cccluster-4", 8),
])
def test_trace_follows_the_format_rules(tmp_path, scenario, variant, cores):
    doc = json.loads((ROOT / "scenarios" / scenario).read_text())
    doc["workload"] = {k: (min(v, 40) if k in ("rounds", "ops_per_core", "acquisitions_per_core") else v)
                       for k, v in doc["workload"].items()}
    doc["run"]["warmup_ops"] = 0
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "trace.json"
    run_smpsim("run", path, "--variant", variant, "--cores", cores, "--trace", out, check=True)
    ev = check_trace(json.loads(out.read_text()))
    phases = {e["ph"] for e in ev}
    assert "X" in phases and "M" in phases
    names = {e["args"]["name"] for e in ev if e["ph"] == "M"}
    assert "CPU 0" in names


def test_trace_window_and_kinds(tmp_path):
    out = tmp_path / "t.json"
    run_smpsim("run", ROOT / "scenarios" / "ipi_recipe.json", "--cores", "4", "--trace", out, check=True)
    full = json.loads(out.read_text())["traceEvents"]
    assert any(e["ph"] == "s" for e in full) and any(e["cat"] == "irq" for e in full if e["ph"] == "X")
    run_smpsim("run", ROOT / "scenarios" / "ipi_recipe.json", "--cores", "4", "--trace", out,
               "--trace-from", "100", "--trace-to", "200", check=True)
    part = check_trace(json.loads(out.read_text()))
    timed = [e for e in part if e["ph"] != "M"]
    assert 0 < len(timed) < len([e for e in full if e["ph"] != "M"])
    for e in timed:
        end = e["ts"] + e.get("dur", 0)
        assert end >= 100 and e["ts"] <= 200
    # waits are async events overlapping holds, on the lock_micro workload
    run_smpsim("run", ROOT / "scenarios" / "spinlocks.json", "--variant", "mcs", "--cores", "8", "--trace", out,
               check=True)
    ev = json.loads(out.read_text())["traceEvents"]
    assert any(e["ph"] == "b" and e["name"] == "wait micro" for e in ev)
    assert any(e["ph"] == "X" and e["name"] == "hold micro" for e in ev)


def small_lock_scenario(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc.pop("variants", None)
    doc["workload"].update(acquisitions_per_core=30, lock="ticket")
    doc["run"]["warmup_ops"] = 3
    path = tmp_path / "small.json"
    path.write_text(json.dumps(doc))
    return path


def test_lock_waiters_are_a_counter_track_that_ends_at_zero(tmp_path):
    path = small_lock_scenario(tmp_path)
    trace = tmp_path / "t.json"
    run_smpsim("run", path, "--cores", "8", "--trace", trace, check=True)
    doc = json.loads(trace.read_text())
    check_trace(doc)
    counters = sorted((e for e in doc["traceEvents"] if e["ph"] == "C" and e["name"].startswith("waiters")),
                      key=lambda e: e["ts"])
    assert counters and all(e["name"] == "waiters micro" for e in counters)
    values = [e["args"]["waiters"] for e in counters]
    assert min(values) >= 0 and max(values) > 1 and max(values) <= 8
    # by simulated time, the count goes up and down by one; it ends at zero
    assert values[-1] == 0


def test_resources_requests_queue_at_are_counter_tracks_that_end_at_zero(tmp_path):
    path = small_lock_scenario(tmp_path)
    trace = tmp_path / "t.json"
    run_smpsim("run", path, "--cores", "16", "--trace", trace, "--result-file", tmp_path / "r.json", check=True)
    doc = json.loads(trace.read_text())
    check_trace(doc)
    tracks = defaultdict(list)
    for e in sorted((e for e in doc["traceEvents"] if e["ph"] == "C" and e["name"].startswith("queued at ")),
                    key=lambda e: e["ts"]):
        tracks[e["name"][len("queued at "):]].append(e["args"]["requests"])
    queued = {r["resource"] for r in json.loads((tmp_path / "r.json").read_text())["metrics"]["interconnect"]["resources"]
              if r["wait_max_ns"] > 0}
    assert tracks and set(tracks) <= queued  # a track for resources where requests queued, and only those
    for name, values in tracks.items():
        assert min(values) >= 0 and max(values) >= 1 and values[-1] == 0, name


def test_results_unchanged_by_tracing_and_paje_is_gone(tmp_path):
    path = small_lock_scenario(tmp_path)
    plain = json.loads(run_smpsim("run", path, "--cores", "4", check=True).stdout)
    traced = json.loads(run_smpsim("run", path, "--cores", "4", "--trace", tmp_path / "t.json", check=True).stdout)
    assert traced["metrics"] == plain["metrics"]
    p = run_smpsim("run", path, "--cores", "4", "--paje", tmp_path / "p.trace")
    assert p.returncode == 2 and "--paje" in p.stderr and not (tmp_path / "p.trace").exists()


SHIPPED = sorted(p.name for p in (ROOT / "scenarios").glob("*.json") if p.name not in ("schema.json", "deadlock_cycle.json"))


@pytest.mark.parametrize("scenario", SHIPPED)
def test_every_shipped_scenario_traces_nested_slices_with_attached_flows(tmp_path, scenario):
    doc = json.loads((ROOT / "scenarios" / scenario).read_text())
    doc["workload"] = {k: (min(v, 30) if k in ("rounds", "ops_per_core", "acquisitions_per_core", "updates_per_core",
                                               "messages") and isinstance(v, int) else v)
                       for k, v in doc["workload"].items()}
    doc.setdefault("run", {})["warmup_ops"] = 0
    cores = len(doc["run"]["cpus"]) if "cpus" in doc["run"] else 4
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "trace.json"
    p = run_smpsim("run", path, "--cores", cores, "--trace", out)
    if p.returncode == 2 and "run with at least" in p.stderr:  # a workload that names a distant CPU
        cores = int(p.stderr.split("run with at least")[1].split()[0])
        p = run_smpsim("run", path, "--cores", cores, "--trace", out)
    assert p.returncode == 0, p.stderr
    check_trace(json.loads(out.read_text()))


VIEWER = ROOT / ".deps" / "speedscope" / "dist" / "release" / "index.html"  # scripts/fetch-trace-viewer.py
VIEWER_COMPLAINTS = ("Tried to end", "still open at end of profile", "Doing nothing", "Closing automatically")


def open_in_viewer(trace_path, tmp_path):
    """Opens a trace in speedscope (from npm) in headless Chromium, as speedscope's own CLI does
    (loadFileFromBase64); returns (the rendered DOM's text, the page's console messages)."""
    import base64
    import re
    import subprocess

    from test_report import CHROMIUM
    if not VIEWER.exists():
        pytest.fail("speedscope is not installed: python3 scripts/fetch-trace-viewer.py (make deps runs it)")
    if CHROMIUM is None:
        pytest.fail("chromium is not installed (scripts/setup-deps.sh installs it)")
    loader = tmp_path / "load.js"
    loader.write_text(f"speedscope.loadFileFromBase64({json.dumps(trace_path.name)}, "
                      f"{json.dumps(base64.b64encode(trace_path.read_bytes()).decode())})")
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=15000", "--dump-dom",
                        f"{VIEWER.as_uri()}#localProfilePath={loader}"], capture_output=True, text=True, timeout=180)
    console = [line for line in p.stderr.splitlines() if ":CONSOLE" in line and "speedscope" in line]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", p.stdout))
    return text, console


def test_a_trace_opens_in_a_real_viewer(tmp_path):
    """speedscope imports the trace as a Trace Event Format profile without a nesting complaint, lists one
    thread per CPU, and weighs each as the trace's own top-level slices add up."""
    trace = tmp_path / "exim.json"
    run_smpsim("run", ROOT / "scenarios" / "design_review.json", "--variant", "exim+design=traditional",
               "--cores", "4", "--trace", trace, check=True)
    text, console = open_in_viewer(trace, tmp_path)
    assert any("Importing as Trace Event Format profile" in c for c in console), console
    complaints = [c for c in console if any(k in c for k in VIEWER_COMPLAINTS) or ":ERROR:CONSOLE" in c
                  or ":WARNING:CONSOLE" in c]
    assert not complaints, complaints[:5]
    ev = json.loads(trace.read_text())["traceEvents"]
    for cpu in range(4):
        assert f"CPU {cpu} (tid {cpu})" in text, text[:500]
        xs = sorted(((e["ts"], e["ts"] + e["dur"]) for e in ev if e["ph"] == "X" and e["tid"] == cpu),
                    key=lambda x: (x[0], -x[1]))
        top, end = 0.0, -1.0
        for a, b in xs:  # top-level slices: those no earlier slice covers (they nest)
            if a >= end:
                top += b - a
                end = b
        assert f"{top / 1000:.2f}ms" in text, (cpu, top, text[:800])


def test_the_viewer_test_sees_a_broken_nesting(tmp_path):
    """The check can fail: a slice that ends inside its neighbour makes speedscope complain."""
    trace = tmp_path / "bad.json"
    run_smpsim("run", ROOT / "scenarios" / "design_review.json", "--variant", "exim+design=traditional",
               "--cores", "2", "--trace", trace, check=True)
    doc = json.loads(trace.read_text())
    xs = sorted((e for e in doc["traceEvents"] if e["ph"] == "X" and e["tid"] == 0 and e["dur"] > 1),
                key=lambda e: e["ts"])
    a = xs[0]
    b = next(e for e in xs if e["ts"] > a["ts"] + a["dur"])
    a["dur"] = b["ts"] - a["ts"] + b["dur"] / 2
    trace.write_text(json.dumps(doc))
    _, console = open_in_viewer(trace, tmp_path)
    assert any(any(k in c for k in VIEWER_COMPLAINTS) for c in console), console


def test_a_trace_too_large_to_hold_is_refused_and_a_window_fits(tmp_path):
    """A trace is held until the run ends: past run.max_trace_events the run stops with exit 2 and says how to
    trace it, writing nothing; with --trace-to, events after the window are not kept, and the file is the same
    as the window cut from a full trace."""
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
    doc["run"]["max_trace_events"] = 5000
    small = tmp_path / "small.json"
    small.write_text(json.dumps(doc))
    args = ["--variant", "exim+design=traditional", "--cores", "4"]
    out = tmp_path / "t.json"
    p = run_smpsim("run", small, *args, "--trace", out)
    assert p.returncode == 2
    assert "run.max_trace_events" in p.stderr and "--trace-from/--trace-to" in p.stderr
    assert not out.exists() and not list(tmp_path.glob("*.tmp*"))
    run_smpsim("run", small, *args, "--trace", out, "--trace-from", "10", "--trace-to", "50", check=True)
    full = tmp_path / "full.json"
    run_smpsim("run", ROOT / "scenarios" / "design_review.json", *args, "--trace", full, "--trace-from", "10",
               "--trace-to", "50", check=True)
    assert out.read_bytes() == full.read_bytes()
    r = json.loads(run_smpsim("run", small, *args, "--trace", out, "--trace-to", "50", check=True).stdout)
    assert r["scenario"]["run"]["max_trace_events"] == 5000  # the resolved scenario records it when tracing
