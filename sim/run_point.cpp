#include "sim/run_point.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "models/coherence/protocol.hpp"
#include "models/workload/workload.hpp"
#include "engine/clock.hpp"
#include "engine/stats.hpp"
#include "sim/atomic_file.hpp"
#include "engine/errors.hpp"
#include "sim/perf_stat.hpp"
#include "sim/results.hpp"

namespace smpsim {

double mean_reread_cycles(const Machine& m, int cores) {
  // After a release the writer holds the line in M; the waiters' re-reads find
  // it in O (MOESI: the writer keeps answering) or S (MESI, MESIF).
  const LineState st = coherence_protocol(m.protocol).has_owned_state() ? LineState::O : LineState::S;
  double sum = 0;
  long long n = 0;
  for (int a = 0; a < cores; ++a)
    for (int b = 0; b < cores; ++b)
      if (a != b) {
        sum += *m.table.lookup(Op::Load, st, m.topo.core_distance(a, b));
        const int da = m.topo.die_of(a), db = m.topo.die_of(b), home = 0;
        if (m.home_hop_cycles > 0 && da != home && db != home)
          sum += m.home_hop_cycles * std::max(0, m.topo.link_hops(da, home) + m.topo.link_hops(home, db) -
                                                     m.topo.link_hops(da, db));
        ++n;
      }
  return n ? sum / double(n) : 0.0;
}

// The most contended cache lines: by time requests queued at the line's home.
json hot_lines(const Directory& dir, int top) {
  std::vector<int> ids(size_t(dir.line_count()));
  for (int i = 0; i < dir.line_count(); ++i) ids[size_t(i)] = i;
  // The first `top` in (queue wait, transfers) order, ties by line id: a partial sort (a run may have
  // millions of lines).
  const auto first = ids.begin() + std::min<std::ptrdiff_t>(top, std::ptrdiff_t(ids.size()));
  std::partial_sort(ids.begin(), first, ids.end(), [&](int a, int b) {
    const CacheLine &la = dir.line(a), &lb = dir.line(b);
    if (la.queue_wait_ns != lb.queue_wait_ns) return la.queue_wait_ns > lb.queue_wait_ns;
    if (la.transfers != lb.transfers) return la.transfers > lb.transfers;
    return a < b;
  });
  json out = json::array();
  for (int i = 0; i < top && i < int(ids.size()); ++i) {
    const CacheLine& l = dir.line(ids[size_t(i)]);
    if (l.transfers == 0) break;
    out.push_back({{"line", l.name}, {"transfers", l.transfers}, {"queue_wait_ns", l.queue_wait_ns}});
  }
  return out;
}

// The shared resources that served requests (models/coherence/interconnect.hpp),
// the most queued-at first: requests, busy time and its share of the run,
// queueing, bytes moved. The first kMaxResourceRows (a 1,024-CPU machine has
// thousands of links), and totals by kind over all of them.
constexpr size_t kMaxResourceRows = 64;
json interconnect_json(const Interconnect& net, double makespan_ns) {
  std::vector<int> ids;
  json by_kind = json::object();
  for (int i = 0; i < int(net.resources().size()); ++i) {
    const Resource& r = net.resources()[size_t(i)];
    if (!r.stats().requests) continue;
    ids.push_back(i);
    json& k = by_kind[resource_kind_name(r.kind())];
    if (k.is_null()) k = {{"resources", 0}, {"requests", 0}, {"busy_ns", 0.0}, {"wait_total_ns", 0.0}};
    k["resources"] = k["resources"].get<long long>() + 1;
    k["requests"] = k["requests"].get<long long>() + r.stats().requests;
    k["busy_ns"] = k["busy_ns"].get<double>() + r.stats().busy_ns;
    k["wait_total_ns"] = k["wait_total_ns"].get<double>() + r.stats().wait_ns;
  }
  const auto shown = ids.begin() + std::ptrdiff_t(std::min(ids.size(), kMaxResourceRows));
  std::partial_sort(ids.begin(), shown, ids.end(), [&](int a, int b) {
    const ResourceStats &sa = net.resources()[size_t(a)].stats(), &sb = net.resources()[size_t(b)].stats();
    if (sa.wait_ns != sb.wait_ns) return sa.wait_ns > sb.wait_ns;
    if (sa.busy_ns != sb.busy_ns) return sa.busy_ns > sb.busy_ns;
    return a < b;
  });
  json rows = json::array();
  for (auto it = ids.begin(); it != shown; ++it) {
    const Resource& r = net.resources()[size_t(*it)];
    const ResourceStats& s = r.stats();
    json row = {{"resource", r.name()},
                {"kind", resource_kind_name(r.kind())},
                {"requests", s.requests},
                {"busy_ns", s.busy_ns},
                {"utilization", makespan_ns > 0 ? s.busy_ns / (makespan_ns * r.servers()) : 0.0},
                {"wait_total_ns", s.wait_ns},
                {"wait_avg_ns", s.wait_ns / double(s.requests)},
                {"wait_max_ns", s.max_wait_ns}};
    if (s.bytes > 0) {
      row["bytes"] = s.bytes;
      row["gb_per_s"] = makespan_ns > 0 ? s.bytes / makespan_ns : 0.0;  // bytes per ns = GB/s
    }
    rows.push_back(row);
  }
  return {{"modelled", net.modelled()},
          {"resources_used", ids.size()},
          {"by_kind", by_kind},
          {"interrupt_messages", {{"messages", net.interrupt_messages()}, {"wait_total_ns", net.interrupt_wait_ns()}}},
          {"resources", rows}};
}

// A result's metrics, and its per-CPU rows.
SMPSIM_REGISTER(StatRegistry, [] {
  return StatGroup{
      "metrics",
      {"metrics"},
      "one run's measurements (docs/results.md)",
      {{"throughput_per_s", "1/s", "ops per simulated second in the measurement window", {}},
       {"op", "text", "what one op of the workload is (its description's op = sentence)", {}},
       {"window", "object",
        "start_ns (every CPU past its warm-up ops), end_ns (the first CPU done, or the last with measure: "
        "until_all_done), ops in it, whole_run (warm-up and end overlapped: the whole run is the window)", {}},
       {"ops", "count", "ops over the whole run, as the workload defines an op", {}},
       {"op_latency_ns", "ns", "mean latency of the window's ops", {}},
       {"acquisitions", "count", "lock acquisitions, every lock row", {}},
       {"lock_objects", "count", "lock objects the run created (design and workload)", {}},
       {"acquisitions_per_op", "ratio", "acquisitions / ops", {}},
       {"makespan_ns", "ns", "when the last CPU finished its work", {}},
       {"time_ns", "object", "the `time` group summed over CPUs", {}},
       {"coherence", "object", "the `coherence` group summed over CPUs", {}},
       {"events", "object", "the `events` and `design_events` groups summed over CPUs", {}},
       {"locks", "rows", "the `locks` group, one row per lock class", {}},
       {"cores", "rows", "the `cores` group, one row per CPU", {}},
       {"simulated_events", "count", "time advances and waits the models asked for", {}},
       {"engine_events", "count", "of those, the ones SimGrid had to take, plus yields ordering simultaneous CPUs", {}},
       {"derived", "object", "mean_reread_cycles: the ticket-lock Markov model's input", {}},
       {"workload", "object", "workload-specific measurements (`smpsim describe workload`)", {}},
       {"hot_lines", "rows", "the ten lines with the most queueing at their home: line, transfers, queue_wait_ns", {}},
       {"interconnect", "object", "the `interconnect` group", {}},
       {"perf", "object", "the `perf` group (smpsim run --perf-stat)", {}},
       {"incomplete", "object", "only when a limit stopped the run: reason, at_ns", {}},
       {"transfer_matrix", "matrix", "up to 64 CPUs: from_to[i][j] = lines CPU j got from CPU i's cache", {}},
       {"explain", "object", "with --explain OP: op, cpu, total_ns, steps[] (step, ns, detail)", {}},
       {"lock_instances", "rows", "with --lock-instances: the `locks` group per lock instance", {}}}};
});
SMPSIM_REGISTER(StatRegistry, [] {
  return StatGroup{"cores",
                   {"metrics.cores[]"},
                   "one row per CPU; with it the CPU's `events` and `design_events` counters",
                   {{"core", "id", "the CPU", {}},
                    {"done_ns", "ns", "when the CPU finished its work (-1: stopped by a limit first)", {}},
                    {"time_ns", "object", "the `time` group: the CPU's states, adding up to the makespan", {}},
                    {"tlb", "object", "the `tlb` group", {}},
                    {"coherence", "object", "the `coherence` group", {}}}};
});

// Larger runs leave the n x n matrix out (it would dominate the result's size).
constexpr int kTransferMatrixMaxCores = 64;

json run_point(const Scenario& sc) {
  const int n = sc.run.cores;
  Simulation sim(n);
  sim.set_limits(sc.run.max_sim_time_ns, sc.run.max_events, sc.run.max_wall_s);
  MemorySystem mem(sc.machine, n, sim, sc.run.seed);
  std::unique_ptr<Trace> trace;
  const std::string trace_limit = "the trace reached run.max_trace_events";
  if (!sc.trace_file.empty()) {
    trace = std::make_unique<Trace>();
    if (sc.trace_to_us >= 0) trace->set_window_end_us(sc.trace_to_us);
    mem.set_trace(trace.get());
    sim.add_limit([&trace, &sc, &trace_limit] {
      return trace->size() > size_t(sc.run.max_trace_events) ? trace_limit : std::string();
    });
  }
  std::unique_ptr<KernelDesign> design = make_design(sc.design, mem);
  if (!sc.explain_op.empty()) design->explain(sc.explain_op);
  Workload* workload = sc.workload.get();
  OpRecorder rec(n, sc.run.measure == "until_all_done", workload->counts_own_warmup() ? 0 : sc.run.warmup_ops);
  rec.set_clock([&mem](int i) { return mem.cpu_lower_bound_ns(i); });  // bounds that let it fold ops as it goes

  for (int i = 0; i < n; ++i)
    sim.spawn(i, [&, i] {
      Core& c = mem.core(i);
      workload->run_core(c, mem, *design, rec);
      mem.finish(c);  // every workload ends the same way: the CPU's work is done
      rec.core_done(i, mem.now_ns(c));
      mem.retire(c);
    });
  try {
    sim.run();
  } catch (const SimDeadlock& e) {
    const auto cycle = mem.waits().find_cycle();
    std::string where;
    if (!cycle.empty())
      where += "\nthe deadlock detector found a lock-order cycle of " + std::to_string(cycle.size()) + " CPUs:" +
               WaitForGraph::describe(cycle, mem.waits()) + "\nevery CPU:";
    for (int i = 0; i < n; ++i)
      if (mem.core(i).done_at_ns < 0)
        where += "\n  CPU " + std::to_string(i) + ": blocked in " + mem.core(i).blocked_in +
                 (std::string(mem.core(i).blocked_in) == "spin" ? " on " + mem.dir().line(mem.core(i).spinning_on).name +
                  " = " + std::to_string(mem.dir().line(mem.core(i).spinning_on).words[0]) : std::string()) +
                 ", wake tokens " + std::to_string(mem.core(i).wake_tokens) + ", pending interrupts " +
                 std::to_string(mem.core(i).pending_irqs.size()) + ", interrupts " +
                 (mem.core(i).irq_off_depth ? "off" : "on");
    throw SimDeadlock(e.what() + where);
  }

  // A trace too large to hold: refuse the run before writing anything, and say how to trace it.
  if (sim.limit_hit() == trace_limit)
    throw BadInput("", "--trace",
                   fmt::format("the trace reached {} events (run.max_trace_events) at {:.1f} us simulated, before the "
                               "run ended: trace a window of it with --trace-from/--trace-to (microseconds), run "
                               "fewer ops, or raise run.max_trace_events (each event holds about 1 KB until the "
                               "file is written)",
                               sc.run.max_trace_events, sim.now_ns() / 1000));
  // A run stopped at a limit: its CPUs end where they were.
  const bool incomplete = !sim.limit_hit().empty();
  double makespan = 0;
  for (int i = 0; i < n; ++i) makespan = std::max(makespan, mem.core(i).done_at_ns);
  if (incomplete) makespan = std::max(makespan, sim.now_ns());

  json cores = json::array();
  CoreTime total_time;
  CoreCounters total_cnt;
  CoherenceCounters total_coh;
  TlbStats total_tlb;
  json design_total = json::object();  // the design's counters (cross calls, messages), summed over CPUs
  for (int i = 0; i < n; ++i) {
    Core& c = mem.core(i);
    json cj = {{"core", i}, {"done_ns", c.done_at_ns}, {"time_ns", CoreTime::table().to_json(c.time)}};
    cj.update(CoreCounters::table().to_json(c.counters));
    const json dc = design->cpu_counters(i);
    cj.update(dc);
    for (const auto& [k, v] : dc.items()) {
      json& t = design_total[k];
      if (v.is_number_integer()) t = (t.is_null() ? 0LL : t.get<long long>()) + v.get<long long>();
      else t = (t.is_null() ? 0.0 : t.get<double>()) + v.get<double>();
    }
    cj["tlb"] = TlbStats::table().to_json(c.tlb.stats);
    cj["coherence"] = CoherenceCounters::table().to_json(mem.dir().counters(i));
    cores.push_back(cj);
    CoreTime::table().add(total_time, c.time);
    CoreCounters::table().add(total_cnt, c.counters);
    TlbStats::table().add(total_tlb, c.tlb.stats);
    CoherenceCounters::table().add(total_coh, mem.dir().counters(i));
  }

  json locks = json::array();
  long long acquisitions = 0;
  for (const json& row : design->lock_rows()) locks.push_back(row);
  for (const json& row : workload->lock_rows()) locks.push_back(row);
  for (const json& row : locks) acquisitions += row["acquisitions"].get<long long>();

  // Throughput over the measurement window; if warm-up and stop overlap (tiny
  // runs) the whole run is the window.
  const bool valid = rec.window_valid();
  const double w0 = valid ? rec.window_start_ns() : 0.0;
  const double w1 = valid ? rec.window_end_ns() : makespan;
  const long long wops = valid ? rec.window_ops() : rec.ops();
  const double throughput = w1 > w0 ? double(wops) / ((w1 - w0) * 1e-9) : 0.0;

  json metrics = {
      {"throughput_per_s", throughput},
      {"op", what_one_op_is(*find_workload_kind(sc.resolved.at("workload").at("kind").get<std::string>()))},
      {"window", {{"start_ns", w0}, {"end_ns", w1}, {"ops", wops}, {"whole_run", !valid}}},
      {"ops", rec.ops()},
      {"op_latency_ns", rec.mean_latency_ns()},
      {"acquisitions", acquisitions},
      {"lock_objects", design->lock_objects() + workload->lock_objects()},
      {"acquisitions_per_op", rec.ops() > 0 ? double(acquisitions) / double(rec.ops()) : 0.0},
      {"makespan_ns", makespan},
      {"time_ns", CoreTime::table().to_json(total_time)},
      {"coherence", CoherenceCounters::table().to_json(total_coh)},
      {"events", CoreCounters::table().to_json(total_cnt)},
      {"locks", locks},
      {"cores", cores},
      {"simulated_events", sim.events()},
      {"engine_events", sim.engine_events()},
      {"derived", {{"mean_reread_cycles", mean_reread_cycles(sc.machine, n)}}},
      {"workload", workload->metrics(mem)},
      {"hot_lines", hot_lines(mem.dir(), 10)},
  };
  metrics["interconnect"] = interconnect_json(mem.dir().interconnect(), makespan);
  metrics["events"].update(design_total);
  metrics["perf"] = perf_counters(metrics, total_tlb, sc.machine.freq_ghz);
  if (incomplete) metrics["incomplete"] = {{"reason", sim.limit_hit()}, {"at_ns", sim.now_ns()}};
  if (n <= kTransferMatrixMaxCores) {  // who feeds whom: from_to[i][j] = lines CPU j got from CPU i's cache
    json rows = json::array();
    for (int i = 0; i < n; ++i) {
      json row = json::array();
      for (int j = 0; j < n; ++j) row.push_back(mem.dir().pair_transfers(i, j));
      rows.push_back(row);
    }
    metrics["transfer_matrix"] = rows;
  }
  if (!sc.explain_op.empty()) metrics["explain"] = design->explanation();
  if (trace)
    write_file_atomic(sc.trace_file,
                      trace->document(sc.machine.name, n, sc.trace_from_us, sc.trace_to_us).dump() + "\n");
  if (sc.lock_instances) metrics["lock_instances"] = design->lock_instance_rows();
  return {{"schema_version", kResultSchemaVersion},
          {"smpsim_version", SMPSIM_VERSION},
          {"name", sc.name},
          {"variant", sc.variant.empty() ? "base" : sc.variant},
          {"cores", n},
          {"seed", sc.run.seed},
          {"scenario", sc.resolved},
          {"metrics", metrics}};
}

}  // namespace smpsim
