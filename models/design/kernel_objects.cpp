#include "models/design/kernel_objects.hpp"

#include <algorithm>

#include "models/sync/lock.hpp"

namespace smpsim {

namespace {
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

int KernelObjects::field_id(const std::string& field) {
  auto [it, added] = field_ids_.emplace(field, int(fields_.size()));
  if (added) fields_.push_back(field);
  return it->second;
}

int KernelObjects::lock_class(const std::string& cls, const std::string& field) {
  const std::string name = cls + "." + field;
  auto [it, added] = class_ids_.emplace(name, int(classes_.size()));
  if (added) {
    auto k = lock_kinds_.find(name);
    const std::string kind = k == lock_kinds_.end() ? "qspinlock" : k->second;
    classes_.push_back({name, kind, is_read_mostly_kind(kind)});
  }
  return it->second;
}

LineId KernelObjects::line(const ObjectKey& obj, int field, int index, int home_die) {
  const Key key{obj, field};
  std::vector<LineId>& v = lines_[key];
  if (int(v.size()) > index) return v[size_t(index)];
  const std::string base = name(key);
  while (int(v.size()) <= index)
    v.push_back(mem_.add_line(base + (v.empty() ? "" : "[" + std::to_string(v.size()) + "]"), home_die));
  return v[size_t(index)];
}

Lock& KernelObjects::lock(const ObjectKey& obj, int lock_class, int field, int home_die) {
  const Key key{obj, field};
  auto hit = excl_index_.find(key);
  if (hit != excl_index_.end()) return *hit->second;
  const std::string n = name(key);
  const LockClass& lc = classes_[size_t(lock_class)];
  auto it = excl_.find(n);
  if (it == excl_.end()) it = excl_.emplace(n, Excl{lc.name, make_lock(lc.kind, n, mem_, home_die)}).first;
  return *(excl_index_[key] = it->second.lock.get());
}

ReadMostly& KernelObjects::rw_lock(const ObjectKey& obj, int lock_class, int field) {
  const Key key{obj, field};
  auto hit = rw_index_.find(key);
  if (hit != rw_index_.end()) return *hit->second;
  const std::string n = name(key);
  const LockClass& lc = classes_[size_t(lock_class)];
  auto it = rw_.find(n);
  if (it == rw_.end()) it = rw_.emplace(n, Rw{lc.name, make_read_mostly(lc.kind, n, mem_)}).first;
  return *(rw_index_[key] = it->second.lock.get());
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
    transfers[r.cls] += r.lock->line_transfers();
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
      j["line_transfers"] = transfers[cls];  // the lock's lines, both sides (they share them)
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
      j["line_transfers"] = r.lock->line_transfers();  // both sides
      rows.push_back(j);
    }
  return rows;
}


}  // namespace smpsim
