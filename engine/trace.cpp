#include "engine/trace.hpp"

#include <algorithm>
#include <map>

namespace smpsim {

namespace {
double us(double ns) { return ns / 1000.0; }

// Makes one CPU's complete slices nest (see Trace::document): first a slice stamped ahead of an interrupt
// that arrived within it starts after the handler; then, by start time (longer first), each slice that a
// nested one outlasts is extended to cover it.
void nest_slices(std::vector<nlohmann::json*>& xs) {
  auto end = [](const nlohmann::json* e) { return (*e)["ts"].get<double>() + (*e)["dur"].get<double>(); };
  auto order = [&](std::vector<nlohmann::json*>& v) {
    std::stable_sort(v.begin(), v.end(), [&](const nlohmann::json* a, const nlohmann::json* b) {
      const double ta = (*a)["ts"].get<double>(), tb = (*b)["ts"].get<double>();
      if (ta != tb) return ta < tb;
      return (*a)["dur"].get<double>() > (*b)["dur"].get<double>();
    });
  };
  order(xs);
  std::vector<const nlohmann::json*> irqs;
  for (const nlohmann::json* e : xs)
    if ((*e)["cat"] == "irq") irqs.push_back(e);
  size_t k = 0;  // irqs are in start order, and do not overlap one another
  for (nlohmann::json* e : xs) {
    if ((*e)["cat"] == "irq") continue;
    const double ts = (*e)["ts"].get<double>(), te = end(e);
    while (k < irqs.size() && end(irqs[k]) <= ts) ++k;
    if (k < irqs.size() && (*irqs[k])["ts"].get<double>() < ts && te > end(irqs[k])) {
      (*e)["ts"] = end(irqs[k]);
      (*e)["dur"] = te - end(irqs[k]);
    }
  }
  order(xs);
  std::vector<nlohmann::json*> open;  // enclosing slices, innermost last
  for (nlohmann::json* e : xs) {
    const double ts = (*e)["ts"].get<double>(), te = end(e);
    while (!open.empty() && end(open.back()) <= ts) open.pop_back();
    for (nlohmann::json* p : open)
      if (end(p) < te) (*p)["dur"] = te - (*p)["ts"].get<double>();
    open.push_back(e);
  }
}
}  // namespace

void Trace::complete(int tid, const std::string& name, const char* cat, double start_ns, double end_ns,
                     nlohmann::json args) {
  if (after_window(start_ns)) return;
  events_.push_back({{"ph", "X"}, {"name", name}, {"cat", cat}, {"pid", 1}, {"tid", tid}, {"ts", us(start_ns)},
                     {"dur", us(std::max(0.0, end_ns - start_ns))}, {"args", std::move(args)}});
}
void Trace::async_begin(int tid, const std::string& name, unsigned long long id, double ts_ns) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "b"}, {"name", name}, {"cat", "lock"}, {"pid", 1}, {"tid", tid}, {"ts", us(ts_ns)}, {"id", id}});
}
void Trace::async_end(int tid, const std::string& name, unsigned long long id, double ts_ns) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "e"}, {"name", name}, {"cat", "lock"}, {"pid", 1}, {"tid", tid}, {"ts", us(ts_ns)}, {"id", id}});
}
void Trace::flow_start(int tid, unsigned long long id, double ts_ns) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "s"}, {"name", "ipi"}, {"cat", "ipi"}, {"pid", 1}, {"tid", tid}, {"ts", us(ts_ns)}, {"id", id}});
}
void Trace::flow_end(int tid, unsigned long long id, double ts_ns) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "f"}, {"bp", "e"}, {"name", "ipi"}, {"cat", "ipi"}, {"pid", 1}, {"tid", tid},
                     {"ts", us(ts_ns)}, {"id", id}});
}
void Trace::instant(int tid, const std::string& name, double ts_ns, const char* cat) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "i"}, {"s", "t"}, {"name", name}, {"cat", cat}, {"pid", 1}, {"tid", tid}, {"ts", us(ts_ns)}});
}

void Trace::set_process(int tid, int pid, const std::string& name) { process_of_[tid] = {pid, name}; }

int Trace::pid_of(int tid) const {
  auto it = process_of_.find(tid);
  return it == process_of_.end() ? 1 : it->second.first;
}

void Trace::counter_delta(int tid, const std::string& name, const char* series, double delta, double ts_ns) {
  if (after_window(ts_ns)) return;
  events_.push_back({{"ph", "C"}, {"name", name}, {"cat", "counter"}, {"pid", 1}, {"tid", tid}, {"ts", us(ts_ns)},
                     {"args", {{series, delta}}}});
}

nlohmann::json Trace::document(const std::string& machine, int cpus, double from_us, double to_us) const {
  // Counters: sum each track's deltas in time order (ties in report order).
  std::vector<nlohmann::json> all = events_;
  std::map<std::string, std::vector<size_t>> tracks;
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i]["ph"] == "C") tracks[all[i]["name"].get<std::string>()].push_back(i);
  for (auto& [name, idx] : tracks) {
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return all[a]["ts"].get<double>() < all[b]["ts"].get<double>(); });
    double value = 0;
    for (size_t i : idx)
      for (auto& [series, v] : all[i]["args"].items()) v = value += v.get<double>();
  }
  std::vector<nlohmann::json> ev;
  auto in = [&](double ts) { return ts >= from_us && (to_us < 0 || ts <= to_us); };
  for (const auto& e : all) {
    const double ts = e["ts"].get<double>();
    const double end = e["ph"] == "X" ? ts + e["dur"].get<double>() : ts;
    if (in(ts) || in(end) || (ts < from_us && (to_us < 0 || end > to_us))) ev.push_back(e);
  }
  // Async and flow events come in pairs: keep a pair only whole.
  std::map<std::pair<std::string, unsigned long long>, int> pairs;
  for (const auto& e : ev)
    if (e.contains("id")) ++pairs[{e["cat"].get<std::string>(), e["id"].get<unsigned long long>()}];
  std::vector<nlohmann::json> kept;
  for (auto& e : ev)
    if (!e.contains("id") || pairs[{e["cat"].get<std::string>(), e["id"].get<unsigned long long>()}] == 2)
      kept.push_back(std::move(e));
  std::map<int, std::vector<nlohmann::json*>> slices;
  for (auto& e : kept)
    if (e["ph"] == "X") slices[e["tid"].get<int>()].push_back(&e);
  for (auto& [tid, xs] : slices) nest_slices(xs);
  // Per CPU by time; at one time, longer slices first so that they enclose shorter ones.
  std::stable_sort(kept.begin(), kept.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    if (a["tid"] != b["tid"]) return a["tid"].get<int>() < b["tid"].get<int>();
    if (a["ts"] != b["ts"]) return a["ts"].get<double>() < b["ts"].get<double>();
    return a.value("dur", 0.0) > b.value("dur", 0.0);
  });
  nlohmann::json out = nlohmann::json::array();
  std::map<int, std::string> processes;
  for (int i = 0; i < cpus; ++i) {
    auto it = process_of_.find(i);
    if (it == process_of_.end()) processes.emplace(1, machine);
    else processes.emplace(it->second.first, it->second.second);
  }
  for (const auto& [pid, name] : processes)
    out.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", pid}, {"tid", 0}, {"args", {{"name", name}}}});
  for (int i = 0; i < cpus; ++i)
    out.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", pid_of(i)}, {"tid", i},
                   {"args", {{"name", "CPU " + std::to_string(i)}}}});
  for (auto& e : kept) {
    e["pid"] = pid_of(e["tid"].get<int>());
    out.push_back(std::move(e));
  }
  return {{"traceEvents", out}, {"displayTimeUnit", "ns"}};
}

}  // namespace smpsim
