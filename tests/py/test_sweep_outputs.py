"""Sweep outputs: stable columns, speedup baseline, determinism, run --out."""
from __future__ import annotations

import csv
import json

import pytest

from conftest import ROOT, demo_scenario, run_smpsim

STATES = ["user", "kernel", "spin", "blocked", "irq", "tlb", "stall", "barrier", "idle"]


def test_summary_has_stable_columns_and_speedup_baseline(demo_sweep):
    with open(demo_sweep / "summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:6] == ["variant", "design", "workload", "cores", "throughput_per_s", "speedup"]
    assert {r["workload"] for r in rows} == {"lock_micro"} and all(r["lock_kind"] for r in rows)  # one lock
    assert [(r["variant"], int(r["cores"])) for r in rows] == \
        [(v, n) for v in ("ticket", "mcs") for n in range(1, 49)]
    for r in rows:
        if r["cores"] == "1":
            assert float(r["speedup"]) == 1.0
    lines = (demo_sweep / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(rows)
    docs = [json.loads(line) for line in lines]
    assert {d["schema_version"] for d in docs} == {1}
    # summary throughput and speedup are derived from results.jsonl
    by = {(d["variant"], d["cores"]): d["metrics"]["throughput_per_s"] for d in docs}
    for r in rows:
        t = by[(r["variant"], int(r["cores"]))]
        assert abs(float(r["throughput_per_s"]) - t) <= 1e-5 * t
        assert abs(float(r["speedup"]) - t / by[(r["variant"], 1)]) < 1e-5


def test_each_core_time_adds_up_to_the_run(demo_sweep):
    doc = json.loads((demo_sweep / "results.jsonl").read_text().splitlines()[-1])
    m = doc["metrics"]
    for c in m["cores"]:
        assert set(c["time_ns"]) == {f"{s}_ns" for s in STATES}
        total = sum(c["time_ns"].values())
        assert abs(total - m["makespan_ns"]) <= 1e-9 * m["makespan_ns"]
        assert c["time_ns"]["user_ns"] > 0 and c["time_ns"]["kernel_ns"] > 0
    # every acquisition is a fetch-and-add or a swap: an implied full barrier each, at least
    assert m["events"]["full_barriers"] >= m["acquisitions"]
    lock = m["locks"][0]
    assert lock["acquisitions"] == doc["cores"] * doc["scenario"]["workload"]["acquisitions_per_core"]
    assert lock["waittime_min_ns"] <= lock["waittime_avg_ns"] <= lock["waittime_max_ns"]
    assert lock["contentions"] <= lock["acquisitions"]


def test_same_seed_gives_identical_bytes_whatever_the_jobs(tmp_path):
    scen = demo_scenario(tmp_path, acquisitions=200, warmup=20)
    outs = []
    for i, jobs in enumerate(("1", "2", "2")):
        out = tmp_path / f"out{i}"
        run_smpsim("sweep", scen, "--cores", "1,4,16,48", "--jobs", jobs, "--out", out, check=True)
        outs.append(out)
    for name in ("results.jsonl", "summary.csv"):
        first = (outs[0] / name).read_bytes()
        assert all((o / name).read_bytes() == first for o in outs[1:]), name
    # and a different seed gives different numbers
    other = tmp_path / "seed2"
    run_smpsim("sweep", scen, "--cores", "1,4,16,48", "--seed", "2", "--out", other, check=True)
    assert (other / "results.jsonl").read_bytes() != (outs[0] / "results.jsonl").read_bytes()


def test_run_out_writes_resolved_scenario(tmp_path):
    p = run_smpsim("run", ROOT / "scenarios" / "ticket_vs_mcs.json", "--cores", "2", "--variant", "mcs",
                   "--seed", "9", "--out", tmp_path, check=True)
    assert "ops/s" in p.stdout
    doc = json.loads((tmp_path / "result.json").read_text())
    assert doc["variant"] == "mcs" and doc["cores"] == 2 and doc["seed"] == 9
    sc = doc["scenario"]
    assert sc["workload"]["lock"] == "mcs"
    assert sc["machine"]["coherence_cycles"]["atomic"]["S"]["two_hops"] == 332  # preset expanded
    # every machine parameter the run used, defaults included
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)["machine"]["params"]
    assert {p["name"] for p in declared if p["default"] is not None or p["type"] != "matrix"} <= set(sc["machine"])
    assert sc["machine"]["ipi_wire_cycles"] == 23 and sc["machine"]["tlb_flush_ceiling"] == 33
    assert sc["run"] == {"seed": 9, "warmup_ops": 200, "measure": "until_first_done", "cores": 2,
                         "placement": "compact"}
    assert doc["metrics"]["locks"][0]["kind"] == "mcs"


def test_version_and_help():
    p = run_smpsim("--version")
    assert p.returncode == 0 and p.stdout.startswith("smpsim ")
    p = run_smpsim("--help")
    assert p.returncode == 0 and "sweep" in p.stdout


def test_lock_stat_and_perf_lock_contention_layouts(tmp_path):
    scen = ROOT / "scenarios" / "spinlocks.json"
    p = run_smpsim("run", scen, "--variant", "ticket", "--cores", "8", "--out", tmp_path, "--lock-stat", check=True)
    doc = json.loads((tmp_path / "result.json").read_text())
    lock = doc["metrics"]["locks"][0]
    lines = p.stdout.splitlines()
    assert lines[0] == "lock_stat version 0.4"
    header = lines[2].split()
    assert header[:3] == ["class", "name", "con-bounces"] and header[-1] == "holdtime-avg"
    row = next(line for line in lines if line.strip().startswith("micro:")).split()
    cols = dict(zip(header[2:], row[1:]))
    assert int(cols["acquisitions"]) == lock["acquisitions"]
    assert int(cols["contentions"]) == lock["contentions"]
    assert float(cols["waittime-total"]) == round(lock["waittime_total_ns"] / 1000, 3)  # microseconds
    assert float(cols["holdtime-max"]) == round(lock["holdtime_max_ns"] / 1000, 3)

    p = run_smpsim("run", scen, "--variant", "ticket", "--cores", "8", "--lock-contention", check=True)
    head, row = p.stdout.splitlines()[:2]
    assert head.split() == ["contended", "total", "wait", "max", "wait", "avg", "wait", "type", "caller"]
    assert row.split()[0] == str(lock["contentions"]) and row.split()[-2:] == ["ticket", "micro"]


def test_lock_views_mean_what_lock_stat_and_perf_lock_mean(tmp_path):
    """lock_stat: a wait is a contended acquisition's (an uncontended lock shows no wait; avg = total over
    contentions, between min and max); rows by contentions, most first. perf lock contention: contended locks
    only, avg <= max, sorted by -k; both views agree on every lock."""
    doc = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    doc.pop("variants", None)
    doc["workload"]["rounds"] = 6
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    r = json.loads(run_smpsim("run", path, "--cores", "8", check=True).stdout)
    locks = {l["name"]: l for l in r["metrics"]["locks"]}
    assert any(l["contentions"] == 0 and l["acquisitions"] > 0 for l in locks.values())
    assert any(l["contentions"] > 0 for l in locks.values())
    for l in locks.values():
        if l["contentions"] == 0:
            assert l["waittime_total_ns"] == l["waittime_max_ns"] == l["waittime_min_ns"] == l["waittime_avg_ns"] == 0
        else:
            assert l["waittime_avg_ns"] == pytest.approx(l["waittime_total_ns"] / l["contentions"])
            assert l["waittime_min_ns"] <= l["waittime_avg_ns"] <= l["waittime_max_ns"]
        assert l["holdtime_avg_ns"] == pytest.approx(l["holdtime_total_ns"] / max(1, l["acquisitions"]))

    out = run_smpsim("run", path, "--cores", "8", "--lock-stat", check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip().endswith(tuple("0123456789")) and ":" in line]
    names = [row[0].rstrip(":") for row in rows if row[0].endswith(":")]
    assert sorted(names) == sorted(locks)
    cons = [locks[n]["contentions"] for n in names]
    assert cons == sorted(cons, reverse=True)

    def ns(text):
        v, unit = text.split()
        return float(v) * {"ns": 1, "us": 1e3, "ms": 1e6}[unit]

    for key, field in (("wait_total", "waittime_total_ns"), ("contended", "contentions"),
                       ("wait_max", "waittime_max_ns")):
        out = run_smpsim("run", path, "--cores", "8", "--lock-contention", "-k", key, check=True).stdout
        listed = []
        for line in out.splitlines()[1:]:
            con, total, max_, avg = line[:10], line[10:23], line[23:36], line[36:49]
            name = line.split()[-1]
            l = locks[name]
            assert int(con) == l["contentions"] > 0
            assert ns(total) == pytest.approx(l["waittime_total_ns"], rel=0.01, abs=0.01)
            assert ns(max_) == pytest.approx(l["waittime_max_ns"], rel=0.01, abs=0.01)
            assert ns(avg) <= ns(max_) * 1.0001
            listed.append(l[field])
        assert len(listed) == sum(1 for l in locks.values() if l["contentions"] > 0)
        assert listed == sorted(listed, reverse=True)
    assert run_smpsim("run", path, "--lock-contention", "-k", "bogus").returncode == 2


def test_perf_lock_per_cpu_view_agrees_with_the_lock_view(tmp_path):
    """perf lock contention -t: one row per CPU that waited, over every lock (exclusive and reader-writer); the
    CPUs' contended waits add up to the locks' (count and total), the longest is the same, sorted by -k."""
    r = json.loads(run_smpsim("run", ROOT / "scenarios" / "design_review.json", "--variant", "exim+design=traditional",
                              "--cores", "8", check=True).stdout)
    m = r["metrics"]
    locks = m["locks"]
    assert any(l["name"].endswith("-W") and l["contentions"] for l in locks), "a reader-writer lock waits here"
    cpus = m["cores"]
    assert sum(c["lock_contentions"] for c in cpus) == sum(l["contentions"] for l in locks) > 0
    assert sum(c["lock_wait_total_ns"] for c in cpus) == pytest.approx(sum(l["waittime_total_ns"] for l in locks))
    assert max(c["lock_wait_max_ns"] for c in cpus) == max(l["waittime_max_ns"] for l in locks)
    assert m["events"]["lock_wait_max_ns"] == max(c["lock_wait_max_ns"] for c in cpus)
    out = run_smpsim("run", ROOT / "scenarios" / "design_review.json", "--variant", "exim+design=traditional",
                     "--cores", "8", "--lock-contention", "-t", "-k", "contended", check=True).stdout.splitlines()
    assert out[0].split()[-2:] == ["pid", "comm"]
    rows = [line.split() for line in out[1:]]
    assert len(rows) == sum(1 for c in cpus if c["lock_contentions"])
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    for row in rows:
        assert int(row[0]) == cpus[int(row[-2])]["lock_contentions"] and row[-1] == f"cpu{row[-2]}"
    assert run_smpsim("run", ROOT / "scenarios" / "design_review.json", "-t").returncode == 2  # needs --lock-contention


def test_bounces_are_lockdeps_and_reader_writer_rows_have_them(tmp_path):
    """lock_stat's bounces: an acquisition (or contention) where the lock was last acquired on another CPU
    (lockdep's lock->cpu), for every lock class, reader-writer sides included; rw rows carry the lock's line
    transfers. One CPU alone never bounces."""
    doc = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    doc.pop("variants", None)
    doc["design"]["vm"] = "mmap_sem"
    doc["workload"]["rounds"] = 6
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    alone = json.loads(run_smpsim("run", path, "--cores", "1", check=True).stdout)["metrics"]["locks"]
    assert alone and all(l["acq_bounces"] == l["con_bounces"] == 0 for l in alone)
    locks = {l["name"]: l for l in json.loads(run_smpsim("run", path, "--cores", "8", check=True).stdout)["metrics"]["locks"]}
    for side in ("mm.mmap_sem-R", "mm.mmap_sem-W"):
        l = locks[side]
        assert 0 < l["acq_bounces"] <= l["acquisitions"]
        assert 0 < l["con_bounces"] <= l["contentions"]
        assert l["line_transfers"] > 0
    for l in locks.values():
        assert l["con_bounces"] <= min(l["contentions"], l["acq_bounces"])


def test_sweep_set_crosses_fields_with_variants(tmp_path):
    scen = demo_scenario(tmp_path, acquisitions=60, warmup=6)
    out = tmp_path / "set"
    run_smpsim("sweep", scen, "--cores", "1,4", "--set", "workload.cs_cycles=100,800",
               "--set", "/workload/think=fixed", "--jobs", "2", "--out", out, check=True)
    with open(out / "summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    names = sorted({r["variant"] for r in rows})
    assert names == sorted(f"{v}+workload.cs_cycles={c}+workload.think=fixed"
                           for v in ("ticket", "mcs") for c in (100, 800))
    # a column per swept parameter, last, with each point's value
    with open(out / "summary.csv", newline="") as f:
        header = next(csv.reader(f))
    assert header[-2:] == ["workload.cs_cycles", "workload.think"]
    for r in rows:
        assert r["variant"].startswith(r["variant"].split("+")[0] + f"+workload.cs_cycles={r['workload.cs_cycles']}+")
        assert r["workload.think"] == "fixed"
    from smpsim_analysis.results import read_summary
    assert list(read_summary(out / "summary.csv")["workload.cs_cycles"].unique()) == [100, 800]
    docs = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    for d in docs:
        cs = int(d["variant"].split("cs_cycles=")[1].split("+")[0])
        assert d["scenario"]["workload"]["cs_cycles"] == cs
        assert d["scenario"]["workload"]["think"] == "fixed"
    # a longer critical section costs hold time
    hold = {d["variant"]: d["metrics"]["locks"][0]["holdtime_avg_ns"] for d in docs if d["cores"] == 1}
    assert hold["ticket+workload.cs_cycles=800+workload.think=fixed"] > hold["ticket+workload.cs_cycles=100+workload.think=fixed"]


@pytest.mark.parametrize("bad, needle", [
    ("workload.cs_cycles", "--set"),
    ("workload.cs_cycles=", "--set"),
    ("workload.cs_cycles=-5", "/workload/cs_cycles"),
    ("workload.lock=spin", "/workload/lock"),
    ("workload.nope.deeper=1", "does not name a field"),
])
def test_bad_set_exits_2(tmp_path, bad, needle):
    p = run_smpsim("sweep", ROOT / "scenarios" / "ticket_vs_mcs.json", "--cores", "1,2", "--set", bad,
                   "--out", tmp_path / "o")
    assert p.returncode == 2, p.stderr
    assert needle in p.stderr
    assert not (tmp_path / "o" / "results.jsonl").exists()


def test_an_override_path_with_an_empty_token_inside_an_array_exits_2(tmp_path):
    # found by the fuzzer: "a//b" through an array was an uncaught JSON exception (exit 1, "internal error")
    p = run_smpsim("sweep", ROOT / "scenarios" / "ipi_recipe.json", "--cores", "2", "--set", "/design/recipes/xcall//x=1",
                   "--out", tmp_path / "o")
    assert p.returncode == 2, p.stderr
    assert "/design/recipes/xcall//x" in p.stderr and "does not name a field" in p.stderr


def test_a_killed_sweep_resumes_to_identical_results(tmp_path):
    import os
    import signal
    import subprocess
    import time

    from conftest import smpsim_bin
    scen = demo_scenario(tmp_path, acquisitions=150, warmup=15)
    clean = tmp_path / "clean"
    run_smpsim("sweep", scen, "--cores", "1-12", "--out", clean, check=True)
    out = tmp_path / "killed"
    proc = subprocess.Popen([smpsim_bin(), "sweep", str(scen), "--cores", "1-12", "--jobs", "1", "--out", str(out)],
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        done = list((out / "points").glob("*.json")) if (out / "points").exists() else []
        if len(done) >= 6:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and the point it was running
    proc.wait()
    assert not (out / "results.jsonl").exists()
    p = run_smpsim("sweep", scen, "--cores", "1-12", "--jobs", "2", "--out", out, "--resume", check=True)
    assert "resuming" in p.stderr
    assert (out / "results.jsonl").read_bytes() == (clean / "results.jsonl").read_bytes()
    assert (out / "summary.csv").read_bytes() == (clean / "summary.csv").read_bytes()


def test_resume_reruns_points_of_an_edited_scenario_and_partial_ones(tmp_path):
    """--resume keeps a point only if its result is complete and of exactly the scenario as it now resolves: after
    an edit (cs_cycles) every point runs again, and the results are those of a clean sweep of the edited file."""
    scen = demo_scenario(tmp_path, acquisitions=60, warmup=6)
    out = tmp_path / "out"
    run_smpsim("sweep", scen, "--cores", "1,2", "--out", out, "--quiet", check=True)
    p = run_smpsim("sweep", scen, "--cores", "1,2", "--out", out, "--resume", check=True)
    assert "resuming, 4 of 4 points done" in p.stderr
    doc = json.loads(scen.read_text())
    doc["workload"]["cs_cycles"] = 800
    scen.write_text(json.dumps(doc))
    # a partial point (a runaway guard's result) is never kept either
    part = next((out / "points").glob("ticket-0002.json"))
    r = json.loads(part.read_text())
    r["metrics"]["incomplete"] = {"reason": "run.max_events", "at_ns": 1.0}
    part.write_text(json.dumps(r))
    p = run_smpsim("sweep", scen, "--cores", "1,2", "--out", out, "--resume", check=True)
    assert "resuming, 0 of 4 points done" in p.stderr
    clean = tmp_path / "clean"
    run_smpsim("sweep", scen, "--cores", "1,2", "--out", clean, "--quiet", check=True)
    assert (out / "results.jsonl").read_bytes() == (clean / "results.jsonl").read_bytes()


def test_a_scenarios_own_sweep_section_gives_cores_and_axes(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = 40
    doc["run"]["warmup_ops"] = 4
    doc["sweep"] = {"cores": [1, 2, 4], "set": {"workload.cs_cycles": [100, 400]}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    p = run_smpsim("sweep", path, "--out", out, "--quiet", check=True)
    assert p.stderr == ""  # --quiet
    rows = list(csv.DictReader(open(out / "summary.csv", newline="")))
    assert {int(r["cores"]) for r in rows} == {1, 2, 4}
    assert {r["variant"] for r in rows} == {f"{v}+workload.cs_cycles={c}" for v in ("ticket", "mcs") for c in (100, 400)}
    # the command line's --cores replaces the section's (the 1-CPU baseline is always added)
    out2 = tmp_path / "out2"
    run_smpsim("sweep", path, "--out", out2, "--cores", "3", "-q", check=True)
    assert {r["cores"] for r in csv.DictReader(open(out2 / "summary.csv", newline=""))} == {"1", "3"}


@pytest.mark.parametrize("section, pointer", [
    ({"cores": "1-x"}, "/sweep/cores"),
    ({"cores": [0]}, "/sweep/cores"),
    ({"set": {"workload.cs_cycles": []}}, "/sweep/set/workload.cs_cycles"),
    ({"cores": "1,2", "jobs": 2}, "/sweep/jobs"),
])
def test_a_bad_sweep_section_exits_2_naming_it(tmp_path, section, pointer):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["sweep"] = section
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    for cmd in (("sweep", path, "--out", tmp_path / "o"), ("validate", path)):
        p = run_smpsim(*cmd)
        assert p.returncode == 2, p.stderr
        assert f"at {pointer}" in p.stderr


def test_tidy_tables_summary_and_locks_csv(tmp_path):
    """summary.csv names each point's design and workload and picks no lock's figures when there are several;
    locks.csv has every lock of every point with every lock_stat column; numbers read back exactly."""
    doc = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    doc.pop("variants", None)
    doc["workload"]["rounds"] = 4
    doc["run"]["warmup_ops"] = 1  # run.warmup_ops must leave ops to measure
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    run_smpsim("sweep", path, "--cores", "1,4", "--out", out, "--quiet", check=True)
    docs = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    summary = list(csv.DictReader(open(out / "summary.csv", newline="")))
    for r, d in zip(summary, docs):
        assert r["design"] == d["scenario"]["design"]["kind"] and r["workload"] == "vm_bench"
        assert len(d["metrics"]["locks"]) > 1
        assert r["waittime_avg_ns"] == r["lock_kind"] == ""  # not the first lock's
        assert float(r["throughput_per_s"]) == d["metrics"]["throughput_per_s"]  # exact
    locks = list(csv.DictReader(open(out / "locks.csv", newline="")))
    assert len(locks) == sum(len(d["metrics"]["locks"]) for d in docs)
    by = {(l["cores"], l["lock"]): l for l in locks}
    for d in docs:
        for l in d["metrics"]["locks"]:
            row = by[(str(d["cores"]), l["name"])]
            assert row["kind"] == l["kind"] and int(row["contentions"]) == l["contentions"]
            assert float(row["waittime_total_ns"]) == l["waittime_total_ns"]
            assert int(row["line_transfers"]) == l["line_transfers"]


def test_replications_give_means_and_student_t_intervals(tmp_path):
    """sweep --repeat N: every point N times, seeds derived from the base seed (replication 0 keeps it);
    results.jsonl keeps each replication; summary.csv one row per point with the mean and a 95% confidence
    half-width (Student's t); the same command gives the same bytes; --repeat 1 is a plain sweep."""
    from scipy import stats

    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = 120
    doc["run"]["warmup_ops"] = 10
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    outs = []
    for name, extra in (("a", ["--repeat", "4"]), ("b", ["--repeat", "4"]), ("one", ["--repeat", "1"]), ("plain", [])):
        out = tmp_path / name
        run_smpsim("sweep", path, "--cores", "1,8", "--jobs", "2", "--out", out, "--quiet", *extra, check=True)
        outs.append(out)
    a, b, one, plain = outs
    assert (a / "summary.csv").read_bytes() == (b / "summary.csv").read_bytes()
    assert (a / "results.jsonl").read_bytes() == (b / "results.jsonl").read_bytes()
    assert (one / "summary.csv").read_bytes() == (plain / "summary.csv").read_bytes()

    docs = [json.loads(line) for line in (a / "results.jsonl").read_text().splitlines()]
    assert len(docs) == 2 * 2 * 4
    by_point = {}
    for d in docs:
        by_point.setdefault((d["variant"], d["cores"]), []).append(d)
    for (variant, cores), reps in by_point.items():
        assert [d["replication"] for d in reps] == [0, 1, 2, 3]
        assert reps[0]["seed"] == doc["run"]["seed"] and len({d["seed"] for d in reps}) == 4
    with open(a / "summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4
    for r in rows:
        reps = by_point[(r["variant"], int(r["cores"]))]
        assert int(r["replications"]) == 4
        t = [d["metrics"]["throughput_per_s"] for d in reps]
        mean = sum(t) / 4
        sd = (sum((x - mean) ** 2 for x in t) / 3) ** 0.5
        assert float(r["throughput_per_s"]) == pytest.approx(mean, rel=1e-12)
        assert float(r["throughput_per_s_ci95"]) == pytest.approx(stats.t.ppf(0.975, 3) * sd / 2, rel=1e-5)
        assert float(r["throughput_per_s_ci95"]) > 0  # the seeds differ, so do the runs
        base = {d["replication"]: d["metrics"]["throughput_per_s"] for d in by_point[(r["variant"], 1)]}
        speedups = [d["metrics"]["throughput_per_s"] / base[d["replication"]] for d in reps]
        assert float(r["speedup"]) == pytest.approx(sum(speedups) / 4, rel=1e-12)
    for bad in (["--repeat", "0"], ["--repeat", "2", "--slurm", str(tmp_path / "sl"), "--dry-run"]):
        p = run_smpsim("sweep", path, "--cores", "1", "--out", tmp_path / "bad", *bad)
        assert p.returncode == 2 and "--repeat" in p.stderr


def test_run_repeat_gives_the_sweeps_replications_and_perf_stat_noise(tmp_path):
    """run --repeat N: the same seeds and results as sweep --repeat N for that point, means with Student's t
    intervals; with --perf-stat, perf stat -r's table: each counter's mean +- the mean's standard error (%)."""
    from scipy import stats

    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = 100
    doc["run"]["warmup_ops"] = 10
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    r = json.loads(run_smpsim("run", path, "--variant", "ticket", "--cores", "8", "--repeat", "3", "--jobs", "2",
                              check=True).stdout)
    run_smpsim("sweep", path, "--cores", "8", "--repeat", "3", "--out", tmp_path / "sw", "--quiet", check=True)
    swept = [json.loads(line) for line in (tmp_path / "sw" / "results.jsonl").read_text().splitlines()]
    swept = [d for d in swept if d["variant"] == "ticket" and d["cores"] == 8]
    assert [d["seed"] for d in r["replications"]] == [d["seed"] for d in swept] == r["summary"]["seeds"]
    t = [d["metrics"]["throughput_per_s"] for d in r["replications"]]
    assert t == [d["metrics"]["throughput_per_s"] for d in swept]
    m = r["summary"]["metrics"]["throughput_per_s"]
    assert m["mean"] == pytest.approx(sum(t) / 3, rel=1e-12)
    sd = stats.tstd(t)
    assert m["ci95"] == pytest.approx(stats.t.ppf(0.975, 2) * sd / 3 ** 0.5, rel=1e-5) and m["ci95"] > 0

    table = run_smpsim("run", path, "--variant", "ticket", "--cores", "8", "-r", "3", "--perf-stat", check=True).stdout
    assert "(3 runs)" in table
    line = next(l for l in table.splitlines() if l.split()[1:2] == ["cycles"])
    cycles = [d["metrics"]["perf"]["cycles"] for d in r["replications"]]
    mean = sum(cycles) / 3
    assert int(line.split()[0].replace(",", "")) == round(mean)
    noise = float(line.split("+-")[1].split("%")[0])
    assert noise == pytest.approx(100 * stats.tstd(cycles) / 3 ** 0.5 / mean, abs=0.006)
    for bad in (["--trace", str(tmp_path / "t.json")], ["--lock-stat"]):
        p = run_smpsim("run", path, "--cores", "8", "--repeat", "2", *bad)
        assert p.returncode == 2 and "--repeat" in p.stderr
