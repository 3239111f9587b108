#include "models/design/kernel_objects.hpp"

#include <algorithm>

#include "models/sync/lock.hpp"

namespace smpsim {

namespace {
bool rw_kind(const std::string& k) {
  const auto& v = read_mostly_kinds();
  return std::find(v.begin(), v.end(), k) != v.end();
}

void merge(LockStats& into, const LockStats& s) {
  into.acquisitions += s.acquisitions;
  into.contentions += s.contentions;
  into.acq_bounces += s.acq_bounces;
  into.con_bounces += s.con_bounces;
  into.wait_total_ns += s.wait_total_ns;
  into.wait_min_ns = std::min(into.wait_min_ns, s.wait_min_ns);
  into.wait_max_ns = std::max(into.wait_max_ns, s.wait_max_ns);
  into.hold_total_ns += s.hold_total_ns;
  into.hold_min_ns = std::min(into.hold_min_ns, s.hold_min_ns);
  into.hold_max_ns = std::max(into.hold_max_ns, s.hold_max_ns);
}
}  // namespace

LineId KernelObjects::line(const std::string& instance, const std::string& field, int index, int home_die) {
  std::vector<LineId>& v = lines_[instance + "." + field];
  while (int(v.size()) <= index)
    v.push_back(mem_.add_line(instance + "." + field + (v.empty() ? "" : "[" + std::to_string(v.size()) + "]"),
                              home_die));
  return v[index];
}

std::string KernelObjects::lock_kind(const std::string& cls, const std::string& field) const {
  auto it = lock_kinds_.find(cls + "." + field);
  return it == lock_kinds_.end() ? "qspinlock" : it->second;
}

bool KernelObjects::is_rw(const std::string& cls, const std::string& field) const {
  return rw_kind(lock_kind(cls, field));
}

Lock& KernelObjects::lock(const std::string& instance, const std::string& cls, const std::string& field, int home_die) {
  const std::string key = instance + "." + field;
  auto it = excl_.find(key);
  if (it == excl_.end())
    it = excl_.emplace(key, Excl{cls + "." + field, make_lock(lock_kind(cls, field), key, mem_, home_die)}).first;
  return *it->second.lock;
}

ReadMostly& KernelObjects::rw_lock(const std::string& instance, const std::string& cls, const std::string& field) {
  const std::string key = instance + "." + field;
  auto it = rw_.find(key);
  if (it == rw_.end())
    it = rw_.emplace(key, Rw{cls + "." + field, make_read_mostly(lock_kind(cls, field), key, mem_)}).first;
  return *it->second.lock;
}

std::vector<nlohmann::json> KernelObjects::class_rows() const {
  std::map<std::string, std::pair<std::string, LockStats>> excl_cls;  // class -> (kind, stats)
  std::map<std::string, long long> transfers;
  for (const auto& [key, e] : excl_) {
    auto& [kind, st] = excl_cls[e.cls];
    kind = e.lock->kind();
    merge(st, e.lock->stats());
    transfers[e.cls] += e.lock->line_transfers();
  }
  std::map<std::string, std::pair<std::string, ReadMostlyStats>> rw_cls;
  for (const auto& [key, r] : rw_) {
    auto& [kind, st] = rw_cls[r.cls];
    kind = r.lock->kind();
    merge(st.read_side, r.lock->stats().read_side);
    merge(st.write_side, r.lock->stats().write_side);
  }
  std::vector<nlohmann::json> rows;
  for (const auto& [cls, ks] : excl_cls) {
    nlohmann::json j = lock_stats_json(cls, ks.first, ks.second);
    j["line_transfers"] = transfers[cls];
    rows.push_back(j);
  }
  for (const auto& [cls, ks] : rw_cls) {
    for (bool w : {false, true}) {
      nlohmann::json j = lock_stats_json(cls + (w ? "-W" : "-R"), ks.first, w ? ks.second.write_side : ks.second.read_side);
      j["line_transfers"] = 0;
      rows.push_back(j);
    }
  }
  return rows;
}

std::vector<nlohmann::json> KernelObjects::instance_rows() const {
  std::vector<nlohmann::json> rows;
  for (const auto& [key, e] : excl_) {
    nlohmann::json j = lock_stats_json(key, e.lock->kind(), e.lock->stats());
    j["line_transfers"] = e.lock->line_transfers();
    rows.push_back(j);
  }
  for (const auto& [key, r] : rw_)
    for (bool w : {false, true}) {
      nlohmann::json j = lock_stats_json(key + (w ? "-W" : "-R"), r.lock->kind(),
                                         w ? r.lock->stats().write_side : r.lock->stats().read_side);
      j["line_transfers"] = 0;
      rows.push_back(j);
    }
  return rows;
}


}  // namespace smpsim
