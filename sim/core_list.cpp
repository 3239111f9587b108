#include "sim/core_list.hpp"

#include <algorithm>
#include <cctype>

#include "engine/errors.hpp"

namespace smpsim {

namespace {
int parse_int(const std::string& s, const std::string& whole) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
    throw BadInput("", "--cores", "expected a list like 1,2,4 or 1-48 or 1-256:x2, got \"" + whole + "\"");
  return std::stoi(s);
}
}  // namespace

std::vector<int> parse_core_list(const std::string& text, int max_cores) {
  std::vector<int> out;
  size_t pos = 0;
  if (text.empty()) throw BadInput("", "--cores", "expected a core list, got an empty string");
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string item = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
    std::string range = item, step;
    if (auto colon = item.find(':'); colon != std::string::npos) {
      range = item.substr(0, colon);
      step = item.substr(colon + 1);
    }
    int lo, hi;
    if (auto dash = range.find('-'); dash != std::string::npos) {
      lo = parse_int(range.substr(0, dash), text);
      hi = parse_int(range.substr(dash + 1), text);
    } else {
      if (!step.empty()) throw BadInput("", "--cores", "a step needs a range (like 1-64:x2), got \"" + item + "\"");
      lo = hi = parse_int(range, text);
    }
    if (lo < 1 || hi < lo)
      throw BadInput("", "--cores", "expected ranges of at least 1 core with low <= high, got \"" + item + "\"");
    if (hi > max_cores)
      throw BadInput("", "--cores",
                     "expected at most " + std::to_string(max_cores) + " cores, got \"" + item + "\"");
    bool mul = false;
    int k = 1;
    if (!step.empty()) {
      mul = step[0] == 'x';
      std::string num = step.substr(step[0] == 'x' || step[0] == '+' ? 1 : 0);
      k = parse_int(num, text);
      if (k < (mul ? 2 : 1)) throw BadInput("", "--cores", "expected a step of at least " + std::string(mul ? "x2" : "1") + ", got \"" + item + "\"");
    }
    for (long long v = lo; v <= hi; v = mul ? v * k : v + k) out.push_back(int(v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace smpsim
