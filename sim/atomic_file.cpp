#include "sim/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "engine/errors.hpp"

namespace smpsim {

namespace fs = std::filesystem;

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  bool ok;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    ok = bool(out);
    if (ok) {
      out << content;
      out.flush();
      ok = bool(out);
    }
  }
  if (!ok) {  // a full disk or a vanished directory: leave nothing behind
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path);
  }
}

namespace {
// Creates and removes a file in `dir`: the only sure test that the run could write there.
void probe_dir(const fs::path& dir, const std::string& shown, const std::string& flag) {
  const fs::path probe = dir / (".smpsim-probe." + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0)
    throw BadInput("", flag, "cannot write in " + dir.string() + " (for " + shown + "): " + std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
}
}  // namespace

void check_output_file(const std::string& path, const std::string& flag) {
  if (path.empty()) throw BadInput("", flag, "expected a file name");
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw BadInput("", flag, path + " is a directory, expected a file to write");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) throw BadInput("", flag, "the directory " + dir.string() + " of " + path + " does not exist");
  probe_dir(dir, path, flag);
}

void check_output_dir(const std::string& dir, const std::string& flag) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    throw BadInput("", flag, dir + " is a file, expected a directory to write in");
  fs::create_directories(dir, ec);
  if (ec) throw BadInput("", flag, "cannot create the directory " + dir + ": " + ec.message());
  probe_dir(dir, dir, flag);
}

}  // namespace smpsim
