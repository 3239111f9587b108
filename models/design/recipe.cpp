#include "models/design/recipe.hpp"

#include "engine/json_reader.hpp"
#include "models/design/kernel_costs.hpp"

namespace smpsim {

namespace {

void split_target(JsonReader& r, const std::string& key, const std::set<std::string>& objects, Step* s) {
  const std::string t = r.str(key);
  const auto dot = t.find('.');
  std::string list;
  for (const auto& o : objects) list += (list.empty() ? "" : ", ") + o;
  if (dot == std::string::npos || dot == 0 || dot + 1 == t.size())
    r.fail(key, "expected OBJECT.FIELD (objects: " + list + "), got \"" + t + "\"");
  s->object = t.substr(0, dot);
  s->field = t.substr(dot + 1);
  if (!objects.count(s->object)) r.fail(key, "unknown kernel object \"" + s->object + "\" (have: " + list + ")");
  s->object_cls = object_class(s->object);
}

Step parse_step(const nlohmann::json& j, const std::string& ptr, const std::string& file,
                const std::set<std::string>& objects, int* next_id, int depth) {
  JsonReader r(j, ptr, &file);
  Step s;
  s.id = (*next_id)++;
  s.pointer = ptr;
  auto body = [&] { s.body = parse_recipe(r.raw("do"), r.ptr("do"), file, objects, next_id, depth + 1); };
  if (r.has("lock")) {
    s.kind = Step::Kind::Lock;
    split_target(r, "lock", objects, &s);
    const std::string excl = "exclusive";
    s.mode_given = r.has("mode");
    s.mode = r.choice("mode", {"exclusive", "read", "write"}, &excl);
    body();
  } else if (r.has("read") || r.has("write") || r.has("atomic")) {
    const char* k = r.has("read") ? "read" : r.has("write") ? "write" : "atomic";
    s.kind = r.has("read") ? Step::Kind::Read : r.has("write") ? Step::Kind::Write : Step::Kind::Atomic;
    split_target(r, k, objects, &s);
    const long long one = 1;
    s.lines = int(r.integer("lines", 1, 64, &one));
  } else if (r.has("compute")) {
    s.kind = Step::Kind::Compute;
    s.cycles = r.number("compute", 0, 1e12);
  } else if (r.has("cost")) {
    s.kind = Step::Kind::Cost;
    const std::string name = r.str("cost");
    s.cost = kernel_cost_index(name);
    if (s.cost < 0) {
      std::string list;
      for (const KernelCost& k : kernel_costs()) list += (list.empty() ? "" : ", ") + std::string(k.name);
      r.fail("cost", "unknown kernel cost \"" + name + "\" (have: " + list + ")");
    }
  } else if (r.has("zero") || r.has("copy")) {
    const char* k = r.has("zero") ? "zero" : "copy";
    s.kind = r.has("zero") ? Step::Kind::Zero : Step::Kind::Copy;
    const nlohmann::json& b = r.raw(k);
    if (b.is_string()) s.bytes_arg = b.get<std::string>();
    else s.bytes = r.number(k, 0, double(1LL << 40));
  } else if (r.has("page_to_free_list")) {
    s.kind = Step::Kind::PageFreed;
    r.choice("page_to_free_list", {"hot"});
  } else if (r.has("call")) {
    s.kind = Step::Kind::Call;
    s.call = r.str("call");
  } else if (r.has("shootdown")) {
    s.kind = Step::Kind::Shootdown;
    s.object = r.choice("shootdown", {"mm"});
  } else if (r.has("tlb_fill")) {
    s.kind = Step::Kind::TlbFill;
    s.object = r.choice("tlb_fill", {"mm"});
  } else if (r.has("ipi")) {
    s.kind = Step::Kind::Ipi;
    s.targets = r.choice("ipi", {"others", "next"});
    const bool no = false, yes = true;
    if (r.has("broadcast")) {
      const nlohmann::json& b = r.raw("broadcast");
      if (!b.is_boolean()) r.fail("broadcast", "expected true or false");
      s.broadcast = b.get<bool>();
    } else {
      s.broadcast = no;
    }
    if (r.has("wait")) {
      const nlohmann::json& w = r.raw("wait");
      if (!w.is_boolean()) r.fail("wait", "expected true or false");
      s.wait = w.get<bool>();
    } else {
      s.wait = yes;
    }
    body();
  } else if (r.has("repeat")) {
    s.kind = Step::Kind::Repeat;
    const nlohmann::json& c = r.raw("repeat");
    if (c.is_string()) s.count_arg = c.get<std::string>();
    else s.count = int(r.integer("repeat", 0, 1 << 20));
    body();
  } else if (r.has("every")) {
    s.kind = Step::Kind::Every;
    s.every = int(r.integer("every", 1, 1 << 20));
    body();
  } else if (r.has("rcu")) {
    s.kind = Step::Kind::Rcu;
    split_target(r, "rcu", objects, &s);
    body();
  } else {
    r.fail_here("expected a step: one of lock, read, write, atomic, compute, cost, zero, copy, page_to_free_list, call, shootdown, tlb_fill, ipi, repeat, every, rcu");
  }
  r.done();
  return s;
}

}  // namespace

Recipe parse_recipe(const nlohmann::json& j, const std::string& pointer, const std::string& file,
                    const std::set<std::string>& objects, int* next_id, int depth) {
  if (!j.is_array()) throw BadInput(file, pointer, "expected an array of steps, got " + JsonReader::describe(j));
  if (depth > kMaxRecipeDepth)
    throw BadInput(file, pointer, "steps nested deeper than " + std::to_string(kMaxRecipeDepth) + " levels");
  Recipe r;
  for (size_t i = 0; i < j.size(); ++i)
    r.push_back(parse_step(j[i], pointer + "/" + std::to_string(i), file, objects, next_id, depth));
  return r;
}

void collect_calls(const Recipe& r, std::set<std::string>* calls) {
  for (const Step& s : r) {
    if (s.kind == Step::Kind::Call) calls->insert(s.call);
    collect_calls(s.body, calls);
  }
}

}  // namespace smpsim
