// Writes a file so that readers see either nothing or the whole content:
// write a temporary file beside it, then rename.
#pragma once
#include <string>

namespace smpsim {

void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace smpsim
