// Writes a file so that readers see either nothing or the whole content:
// write a temporary file beside it, then rename. And the checks that let a
// run refuse a bad output path before it simulates anything.
#pragma once
#include <string>

namespace smpsim {

// On failure the temporary file is removed and std::runtime_error thrown.
void write_file_atomic(const std::string& path, const std::string& content);

// An output file given by `flag` (--result-file, --trace): its directory exists and a file can be created in
// it, and the path is not a directory. BadInput (exit 2) otherwise, before any simulation.
void check_output_file(const std::string& path, const std::string& flag);
// An output directory given by `flag` (--out): created if missing, writable, not a file. BadInput otherwise.
void check_output_dir(const std::string& dir, const std::string& flag);

}  // namespace smpsim
