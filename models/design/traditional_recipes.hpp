#pragma once
#include <nlohmann/json.hpp>

#include <string>

namespace smpsim {

// The default recipes of the traditional design for a VM variant (mmap_sem,
// per_vma, pt_extents), page allocator (zone, percpu), source of free virtual
// space for pt_extents (global, percpu) and path walk (ref, rcu).
nlohmann::json traditional_recipes(const std::string& vm, const std::string& page_alloc, const std::string& free_space,
                                   const std::string& path_walk);

}  // namespace smpsim
