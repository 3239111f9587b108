"""Sweeps on Slurm: a real single-node Slurm (munge, slurmctld, slurmd on 127.0.0.1) started by this test,
a sweep run as a job array and merged, compared byte for byte with a local sweep; a failing point is
reported by merge without corrupting the others."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_smpsim, smpsim_bin

DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    missing = [d for d in DAEMONS if shutil.which(d) is None and not Path(f"/usr/sbin/{d}").exists()]
    if missing:
        pytest.fail(f"Slurm is not installed ({', '.join(missing)}): scripts/setup-deps.sh installs it")
    if os.geteuid() != 0:
        pytest.fail("the Slurm test starts slurmd, which must run as root")
    d = tmp_path_factory.mktemp("slurm")
    for sub in ("state", "spool", "log", "munge"):
        (d / sub).mkdir()
    key = d / "munge" / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o400)
    sock = d / "munge" / "munge.socket"
    conf = d / "slurm.conf"
    conf.write_text(f"""ClusterName=smpsimtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={sock}
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/log/slurmctld.log
SlurmdLogFile={d}/log/slurmd.log
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
""")
    env = dict(os.environ, SLURM_CONF=str(conf))
    sbin = lambda name: shutil.which(name) or f"/usr/sbin/{name}"  # noqa: E731
    subprocess.run([sbin("munged"), f"--key-file={key}", f"--socket={sock}", f"--pid-file={d}/munge/munged.pid",
                    f"--log-file={d}/munge/munged.log", f"--seed-file={d}/munge/munged.seed", "--force"],
                   check=True, env=env)
    subprocess.run([sbin("slurmctld"), "-f", str(conf)], check=True, env=env)
    subprocess.run([sbin("slurmd"), "-f", str(conf)], check=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            p = subprocess.run(["sinfo", "-h", "-o", "%t"], capture_output=True, text=True, env=env)
            if p.stdout.strip() == "idle":
                break
            time.sleep(0.5)
        else:
            pytest.fail("the test's Slurm node never became idle:\n" + (d / "log" / "slurmctld.log").read_text()[-3000:])
        yield env
    finally:  # stop the daemons by their PIDs
        for pidfile in (d / "slurmd.pid", d / "slurmctld.pid", d / "munge" / "munged.pid"):
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGTERM)
            except (OSError, ValueError):
                pass


def small_scenario(tmp_path) -> Path:
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = 60
    doc["run"]["warmup_ops"] = 6
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    return path


def wait_for_jobs(env, ids, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p = subprocess.run(["squeue", "-h", "-j", ",".join(ids), "-o", "%i %T %r"], capture_output=True, text=True, env=env)
        lines = [l for l in p.stdout.splitlines() if l.strip()]
        if not lines or all("DependencyNeverSatisfied" in l for l in lines):
            return lines
        time.sleep(1)
    pytest.fail("Slurm jobs did not finish in time")


def smpsim_env(env, *args):
    return subprocess.run([smpsim_bin(), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


def test_a_sweep_as_a_job_array_merges_to_the_local_sweeps_bytes(slurm, tmp_path):
    scen = small_scenario(tmp_path)
    out = tmp_path / "cluster"
    p = smpsim_env(slurm, "sweep", scen, "--cores", "1,2,4,8", "--slurm", out, "--points-per-task", "3", "--max-running", "2")
    assert p.returncode == 0, p.stderr
    array_id, merge_id = p.stdout.split()
    assert "--array=0-2%2" in (out / "array.sbatch").read_text()  # 8 points, 3 per task
    wait_for_jobs(slurm, [array_id, merge_id])
    assert (out / "results.jsonl").exists(), list((out / "logs").iterdir())
    local = tmp_path / "local"
    run_smpsim("sweep", scen, "--cores", "1,2,4,8", "--out", local, "--quiet", check=True)
    assert (out / "results.jsonl").read_bytes() == (local / "results.jsonl").read_bytes()
    assert (out / "summary.csv").read_bytes() == (local / "summary.csv").read_bytes()


def test_a_failing_point_is_reported_by_merge_and_the_others_stay_intact(slurm, tmp_path):
    scen = small_scenario(tmp_path)
    out = tmp_path / "cluster"
    # one axis value makes its points stop early (a runaway guard: exit 4 on the cluster)
    p = smpsim_env(slurm, "sweep", scen, "--cores", "2,4", "--set", "run.max_events=0,50", "--slurm", out)
    assert p.returncode == 0, p.stderr
    array_id, merge_id = p.stdout.split()
    left = wait_for_jobs(slurm, [array_id, merge_id])
    assert any(merge_id in l for l in left)  # the merge waits for a success that never comes
    subprocess.run(["scancel", merge_id], env=slurm)
    m = smpsim_env(slurm, "merge", out)
    assert m.returncode == 1
    assert "max_events=50 cores=2: smpsim: the run stopped early: run.max_events (50 simulated events)" in m.stderr
    assert "6 of 12 points missing or failed" in m.stderr  # 2 locks x 3 core counts (1, 2, 4)
    assert not (out / "results.jsonl").exists()
    good = [p for p in (out / "points").glob("*.json") if "max_events=0" in p.name]
    assert len(good) == 6 and all(json.loads(p.read_text())["metrics"]["ops"] > 0 for p in good)
