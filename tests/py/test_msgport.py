"""The message-port design (first slice): ops travel to their object's owner CPU."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def run(tmp_path, doc, cores, variant):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, "--cores", str(cores), "--variant", variant, check=True).stdout)["metrics"]


def test_a_hot_owner_saturates(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_vs_traditional.json").read_text())
    doc["workload"]["rounds"] = 60
    m8, m48 = run(tmp_path, doc, 8, "msgport"), run(tmp_path, doc, 48, "msgport")
    t48 = run(tmp_path, doc, 48, "traditional")
    # every open and close from a CPU other than the file's owner is a message, served by the owner
    assert m48["events"]["xcalls"] == m48["events"]["xcalls_served"] == 47 * 60 * 2
    assert t48["events"]["xcalls"] == 0
    assert m48["throughput_per_s"] < 1.5 * m8["throughput_per_s"]  # one owner: no more throughput to add
    assert m48["throughput_per_s"] < t48["throughput_per_s"]
    owner = max(m48["cores"], key=lambda c: c["xcalls_served"])
    assert owner["xcalls_served"] == m48["events"]["xcalls_served"]


def test_one_cpu_sends_no_messages(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_vs_traditional.json").read_text())
    doc["workload"]["rounds"] = 30
    a, b = run(tmp_path, doc, 1, "msgport"), run(tmp_path, doc, 1, "traditional")
    assert a["events"]["xcalls"] == 0
    # every open and close (an op is both) is a message to the CPU's own port: a function call, all that differs
    assert a["events"]["messages_local"] == 2 * a["ops"] and b["events"]["messages_local"] == 0
    for m in (a, b):
        del m["events"]["messages_local"], m["cores"][0]["messages_local"]
        del m["perf"]["messages_local"], m["perf"]["per_op"]["messages_local"]
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_once_the_server_is_always_busy_client_latency_grows_linearly(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_vs_traditional.json").read_text())
    doc["workload"]["rounds"] = 40
    lat = {n: run(tmp_path, doc, n, "msgport")["op_latency_ns"] for n in (16, 32, 48)}
    step1, step2 = lat[32] - lat[16], lat[48] - lat[32]
    assert step1 > 0 and step2 > 0
    assert abs(step2 - step1) < 0.15 * step1  # the same cost per added client: a queue at one server
    assert lat[48] > 2.5 * lat[16]


def multicast_latency(tmp_path):
    from conftest import sweep
    def fewer(d):
        d["workload"]["rounds"] = 20
    _, docs = sweep(tmp_path, "message_shootdown.json", "4,8,16,24,32", fewer)
    lat = {}
    for d in docs:
        lat.setdefault(d["variant"], {})[d["cores"]] = d["metrics"]["op_latency_ns"]
    return lat


def slope(series):
    xs = sorted(n for n in series if n >= 4)
    mx = sum(xs) / len(xs)
    my = sum(series[x] for x in xs) / len(xs)
    return sum((x - mx) * (series[x] - my) for x in xs) / sum((x - mx) ** 2 for x in xs)


def test_shootdown_protocols_on_amd32_order_as_in_the_multikernel_paper(tmp_path):
    lat = multicast_latency(tmp_path)
    uni = lat["unicast"]
    # unicast grows with every 8 CPUs added (its sends' misses overlap 8 at a time: K10's fill buffers)
    steps = [(uni[b] - uni[a]) / (b - a) for a, b in ((8, 16), (16, 24), (24, 32))]
    assert min(steps) > 0
    # (0.65 of unicast's slope: the unicast sender's stores overlap, up to its line fill buffers at once)
    assert slope(lat["multicast"]) < 0.75 * slope(uni)
    at32 = {p: s[32] for p, s in lat.items()}
    # The paper's NUMA-aware multicast is the cheapest; here the two multicasts are within 10% of each other
    # (sending farthest first pays little when the sends' misses overlap) and both beat unicast and broadcast.
    assert max(at32["numa_multicast"], at32["multicast"]) < min(at32["unicast"], at32["broadcast"]), at32
    assert abs(at32["numa_multicast"] - at32["multicast"]) < 0.1 * at32["multicast"], at32


def test_heavy_messages_slow_the_best_case_and_a_port_agent_costs_only_in_user_space(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "light_vs_heavy_ports.json").read_text())
    doc["workload"]["rounds"] = 60
    m = {(v, n): run(tmp_path, doc, n, v) for v in ("light", "heavy", "light-user-agent", "traditional") for n in (1, 4)}
    # one CPU: every message is local; a light one is a function call, as fast as the traditional kernel
    assert m["light", 1]["throughput_per_s"] == m["traditional", 1]["throughput_per_s"]
    assert m["light", 1]["events"]["xcalls"] == 0
    # the Mach-style burden falls on the best case too (Dillon, seed 003). Since the ops do a real kernel's
    # work (system-call entry and exit, the file's open and close: issue 20), the same burden is a smaller
    # share of an op: 0.83 of light's throughput, where it was under 0.6.
    assert m["heavy", 1]["throughput_per_s"] < 0.9 * m["light", 1]["throughput_per_s"]
    assert m["heavy", 4]["throughput_per_s"] < m["light", 4]["throughput_per_s"]
    # the same service behind a port agent pays the boundary both ways; in the kernel it pays nothing
    assert m["light-user-agent", 1]["throughput_per_s"] < m["heavy", 1]["throughput_per_s"]
    assert m["light-user-agent", 4]["op_latency_ns"] > m["light", 4]["op_latency_ns"]


def test_the_designs_own_shootdowns_as_messages_multicast_beats_unicast_and_ipis(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "msgport_shootdown.json").read_text())
    doc["workload"]["rounds"] = 4
    remap = {v: run(tmp_path, doc, 32, v)["workload"]["remap_avg_ns"] for v in ("ipi", "unicast", "multicast", "numa_multicast")}
    assert remap["multicast"] < remap["unicast"]
    # NUMA-aware ordering (farthest node first) and plain multicast: the same messages, replies collected one by
    # one in the order sent; at 32 CPUs on amd32 the order changes the round by a few ns either way
    assert abs(remap["numa_multicast"] - remap["multicast"]) < 0.01 * remap["multicast"]
    assert remap["numa_multicast"] < remap["ipi"] and remap["multicast"] < remap["ipi"]


def test_sendmsg_lets_the_caller_go_on(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "light_vs_heavy_ports.json").read_text())
    doc["workload"]["rounds"] = 60
    sync = run(tmp_path, doc, 4, "light")
    doc["design"]["async_ops"] = ["close"]
    asyn = run(tmp_path, doc, 4, "light")
    assert asyn["events"]["xcalls"] == sync["events"]["xcalls"] > 0  # the same messages
    # close no longer waits for its reply; the open after it still queues behind it at the same port, so
    # the op saves little (0.97 of the latency since the ops do a real kernel's work, issue 20; 0.75 before)
    assert asyn["op_latency_ns"] < sync["op_latency_ns"]
    assert asyn["throughput_per_s"] > sync["throughput_per_s"]


def test_async_ops_only_for_routed_ops_and_only_on_msgport(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "light_vs_heavy_ports.json").read_text())
    doc["design"]["async_ops"] = ["wake_up"]
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2 and "at /design/async_ops/0:" in p.stderr
    doc["design"] = {"kind": "traditional", "async_ops": ["close"]}
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2 and "at /design/async_ops:" in p.stderr


def test_a_message_is_visible_only_after_its_sender_has_written_it(tmp_path):
    """message_cycles (writing the payload) is paid before the store that publishes it: on an idle machine a
    request-reply round trip grows by twice its cycles (the client's request and the server's reply)."""
    lat = {}
    for mc in (0, 40, 400):
        doc = json.loads((ROOT / "scenarios" / "shared_vs_message.json").read_text())
        doc.pop("sweep")
        doc.pop("variants")
        doc["workload"].update(mode="message", lines=1, message_cycles=mc, updates_per_core=100)
        path = tmp_path / f"m{mc}.json"
        path.write_text(json.dumps(doc))
        d = json.loads(run_smpsim("run", path, "--cores", "2", check=True).stdout)
        lat[mc] = d["metrics"]["op_latency_ns"] * d["scenario"]["machine"]["freq_ghz"]  # cycles
    assert abs((lat[40] - lat[0]) - 2 * 40) < 1e-6, lat
    assert abs((lat[400] - lat[0]) - 2 * 400) < 1e-6, lat


def test_replies_collected_one_by_one_cost_a_read_each(tmp_path):
    """Unicast on amd32: the initiator polls k reply channels in turn; each is a read that misses (the replier
    wrote it), so the round grows by about one remote transfer per extra target, not by one transfer in all."""
    doc = json.loads((ROOT / "scenarios" / "message_shootdown.json").read_text())
    doc.pop("variants")
    doc["workload"].update(protocol="unicast", rounds=30)
    path = tmp_path / "u.json"
    path.write_text(json.dumps(doc))
    lat, loads = {}, {}
    for n in (16, 32):
        d = json.loads(run_smpsim("run", path, "--cores", str(n), check=True).stdout)
        lat[n] = d["metrics"]["op_latency_ns"]
        loads[n] = d["metrics"]["cores"][0]["coherence"]["loads"] / d["metrics"]["ops"]
    # CPU 0 reads at least one reply line per target per round
    assert loads[16] >= 15 and loads[32] >= 31, loads
    # 16 more replies, each a miss of at least the one-hop latency (amd32: 2.0 GHz, ~100 ns)
    assert lat[32] - lat[16] > 16 * 80, lat
