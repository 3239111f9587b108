"""Bad input gets exit code 2 and a message naming the file and the JSON pointer."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_smpsim

BAD = ROOT / "tests" / "bad_scenarios"

# file -> what the message must contain (the JSON pointer, or the reason when
# the file is not JSON at all)
EXPECTED = {
    "empty.json": "the file is empty",
    "not_json.json": "not valid JSON",
    "truncated.json": "not valid JSON",
    "top_level_array.json": "at /:",
    "unknown_key.json": "at /wrokload:",
    "unknown_nested_key.json": "at /workload/think_cyles:",
    "wrong_type.json": "at /workload/cs_cycles:",
    "negative_cycles.json": "at /workload/think_cycles:",
    "unknown_preset.json": "at /machine:",
    "unknown_lock.json": "at /workload/lock:",
    "zero_acquisitions.json": "at /workload/acquisitions_per_core:",
    "fractional_count.json": "at /workload/acquisitions_per_core:",
    "bad_schema_version.json": "at /schema_version:",
    "missing_workload.json": "at /workload:",
    "too_many_cores.json": "at /run/cores:",
    "warmup_too_long.json": "at /workload/acquisitions_per_core:",
    "bad_variant_path.json": "at /variants/0/set/workload.lock.kind:",
    "bad_variant_value.json": "at /workload/lock:",
    "duplicate_variant.json": "at /variants/1/name:",
    "bad_design.json": "at /design/kind:",
    "bad_die_hops.json": "at /machine/die_hops/0:",
    "missing_latency.json": "at /machine/coherence_cycles/load/S:",
    "bad_protocol.json": "at /machine/protocol:",
    "zero_frequency.json": "at /machine/freq_ghz:",
    "number_overflow.json": "number overflow",  # found by the fuzzer: was an internal error (exit 1)
    "partition_missing_cpu.json": "at /design/cpus: CPU 47 is in no instance",
    "partition_duplicate_cpu.json": "at /design/cpus/1/0: CPU 24 is already in an instance",
    "partition_count_mismatch.json": "at /design/instances: expected 2",
    "partition_cpu_out_of_range.json": "at /design/cpus/1/24: expected a CPU id from 0 to 47",
    # recipes are programs: no call cycle (it would recurse until the stack overflows), bounded nesting
    "recipe_calls_itself.json": "at /design/recipes/page_fault: recipe calls form a cycle (page_fault -> page_fault)",
    "recipe_call_cycle.json": "recipe calls form a cycle (",
    "recipe_too_deep.json": "nested deeper than 32 levels",
    # a recipe's locks are the design's (a typo is not a new lock), in a mode their kind has
    "recipe_lock_typo.json": 'at /design/recipes/page_fault/0/lock: "mm.mmap_sme" is not a lock of this design (did you mean "mm.mmap_sem"?)',
    "recipe_lock_mode.json": "at /design/recipes/page_fault/0/mode: pt.ptl is a qspinlock, which has no read or write side",
    # op arguments within the machine and the run (they index CPUs and nodes)
    "op_arg_node_out_of_range.json": "at /workload/mix/0/args/mm_home: mm_home (the node of an address space's objects, in one kernel): expected a node of the machine (0 to 7), got 99",
    "op_arg_negative_cpu.json": "at /workload/mix/0/args/target: target (the CPU whose run queue a wake-up uses): expected a non-negative number",
    "op_arg_unknown.json": "at /workload/mix/0/args/nvmas: unknown op argument",
}


def test_every_bad_scenario_is_listed():
    assert sorted(p.name for p in BAD.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_scenario_exits_2_naming_file_and_pointer(name, command):
    p = run_smpsim(command, BAD / name)
    assert p.returncode == 2, p.stderr
    assert f"{name}" in p.stderr
    assert EXPECTED[name] in p.stderr
    assert p.stdout == ""


def test_bad_sweep_writes_nothing(tmp_path):
    out = tmp_path / "out"
    p = run_smpsim("sweep", BAD / "bad_variant_value.json", "--cores", "1-4", "--out", out)
    assert p.returncode == 2
    assert "at /workload/lock:" in p.stderr
    assert not out.exists()


SCEN = ROOT / "scenarios" / "ticket_vs_mcs.json"


@pytest.mark.parametrize("args, needle", [
    (["sweep", SCEN, "--cores", "0"], "--cores"),
    (["sweep", SCEN, "--cores", "1-abc"], "--cores"),
    (["sweep", SCEN, "--cores", "1-64"], "--cores"),  # opteron48 has 48
    (["sweep", SCEN, "--cores", "1-4", "--jobs", "0"], "--jobs"),
    (["run", SCEN, "--cores", "49"], "--cores"),
    (["run", SCEN, "--seed", "-3"], "--seed"),
    (["run", SCEN, "--variant", "tas"], "no variant named \"tas\""),
    (["run", SCEN, "--frobnicate"], "frobnicate"),
    (["run", ROOT / "no" / "such.json"], "cannot open"),
    (["launch", SCEN], "subcommand"),
    (["run", SCEN, "--trace-from", "5"], "--trace-from requires --trace"),  # was silently ignored
    (["run", SCEN, "--trace-to", "5"], "--trace-to requires --trace"),
    (["run", SCEN, "-k", "contended"], "requires --lock-contention"),
    (["run", SCEN, "--lock-contention", "-k", "bogus"], "-k"),
])
def test_bad_flags_exit_2(args, needle, tmp_path):
    p = run_smpsim(*args, "--out", tmp_path / "o") if args[0] == "sweep" else run_smpsim(*args)
    assert p.returncode == 2, p.stderr
    assert needle in p.stderr
    assert not (tmp_path / "o" / "results.jsonl").exists()


def test_good_scenarios_validate():
    for scen in sorted((ROOT / "scenarios").rglob("*.json")):
        if scen.parent.name == "library":
            continue
        if scen.name == "schema.json":
            continue
        p = run_smpsim("validate", scen)
        assert p.returncode == 0, f"{scen}: {p.stderr}"
        assert "OK" in p.stdout


def test_input_files_are_bounded(tmp_path):
    """A scenario is a regular file of at most 16 MiB nested at most 256 deep: a device, a FIFO, a directory,
    a huge file or a deep nesting is exit 2 at once (not read without bound, not a stack overflow)."""
    import os
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 70000 + "]" * 70000)
    big = tmp_path / "big.json"
    big.write_text('{"a": "' + "x" * (17 << 20) + '"}')
    for path, needle in (("/dev/zero", "regular file"), (fifo, "regular file"), (tmp_path, "regular file"),
                         (deep, "nested more than 256 levels"), (big, "more than a scenario may be")):
        p = run_smpsim("validate", path, timeout=30)
        assert p.returncode == 2 and needle in p.stderr, (path, p.returncode, p.stderr)
    # a normal scenario still loads
    ok = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    p = tmp_path / "ok.json"
    p.write_text(json.dumps(ok))
    assert run_smpsim("validate", p).returncode == 0


def test_output_paths_are_checked_before_the_run(tmp_path):
    """A result file in a missing directory, a trace path that is a directory, an --out that is a file: exit 2
    at once (the run would otherwise be lost after simulating); nothing is left behind."""
    import time
    scen = ROOT / "scenarios" / "vmlocal.json"
    afile = tmp_path / "afile"
    afile.write_text("x")
    cases = [(["run", scen, "--result-file", tmp_path / "missing" / "r.json"], "--result-file", "does not exist"),
             (["run", scen, "--trace", tmp_path], "--trace", "is a directory"),
             (["run", scen, "--out", afile], "--out", "is a file"),
             (["sweep", scen, "--cores", "1,2", "--out", afile, "--quiet"], "--out", "is a file")]
    for args, flag, needle in cases:
        t0 = time.monotonic()
        p = run_smpsim(*args)
        assert p.returncode == 2 and f"at {flag}: " in p.stderr and needle in p.stderr, (args, p.stderr)
        assert time.monotonic() - t0 < 5
    assert sorted(x.name for x in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize("field,value", [("name", "../../x"), ("name", "/abs/path"), ("name", "a" * 101),
                                         ("variant", "a\nb"), ("variant", "a\u0000b"), ("variant", "x/y")])
def test_names_that_become_paths_are_checked(tmp_path, field, value):
    doc = json.loads((ROOT / "scenarios" / "vmlocal.json").read_text())
    if field == "name":
        doc["name"] = value
    else:
        doc["variants"][0]["name"] = value
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2 and ("at /name:" in p.stderr or "at /variants/0/name:" in p.stderr), p.stderr


@pytest.mark.parametrize("flag,value", [("--partition", "a\n#SBATCH --x"), ("--time", "1:00 ; rm -rf /"),
                                        ("--mem", "4G\n")])
def test_strings_for_sbatch_are_checked(tmp_path, flag, value):
    p = run_smpsim("sweep", ROOT / "scenarios" / "vmlocal.json", "--cores", "1", "--slurm", tmp_path / "sl",
                   flag, value, "--dry-run")
    assert p.returncode == 2 and f"at {flag}:" in p.stderr, p.stderr
    assert not (tmp_path / "sl").exists()


def test_numbers_on_the_command_line_mean_one_thing(tmp_path):
    """--cores 010 is 10 for run as for sweep (not octal 8); a seed beyond the scenario's range is exit 2 (not
    clamped to 2^63 - 1); a --set value no double holds is exit 2 (not an internal error)."""
    scen = ROOT / "scenarios" / "ticket_vs_mcs.json"
    r = json.loads(run_smpsim("run", scen, "--cores", "010", check=True).stdout)
    assert r["cores"] == 10
    out = tmp_path / "s"
    run_smpsim("sweep", scen, "--cores", "010", "--out", out, "--quiet", check=True)
    assert "10" in (out / "summary.csv").read_text().splitlines()[-1].split(",")
    for args, flag in ((["run", scen, "--seed", "18446744073709551615"], "--seed"),
                       (["run", scen, "--cores", "9999999999999999999"], "--cores"),
                       (["sweep", scen, "--cores", "1", "--seed", "-3", "--out", tmp_path / "x"], "--seed"),
                       (["sweep", scen, "--cores", "1", "--set", "workload.cs_cycles=1e999", "--out", tmp_path / "y"],
                        "--set")):
        p = run_smpsim(*args)
        assert p.returncode == 2 and f"at {flag}:" in p.stderr, (args, p.stderr)
