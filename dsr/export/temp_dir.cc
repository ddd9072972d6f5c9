#include "dsr/export/temp_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

namespace dsr {

Result<PrivateTempDir> PrivateTempDir::create(const std::string& parent, const std::string& prefix) {
  std::string pattern = parent + "/" + prefix + "XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    return fail("cannot create a temporary directory in " + parent + ": " + std::strerror(errno));
  }
  PrivateTempDir dir{std::string(buffer.data())};
  // mkdtemp's 0700 is filtered through the umask; an odd umask must not leave us
  // unable to write, nor anyone else able to read.
  if (::chmod(dir.path_.c_str(), 0700) != 0) {
    return fail("cannot restrict temporary directory " + dir.path_ + ": " + std::strerror(errno));
  }
  return dir;
}

PrivateTempDir::PrivateTempDir(PrivateTempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

PrivateTempDir& PrivateTempDir::operator=(PrivateTempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

PrivateTempDir::~PrivateTempDir() { remove(); }

void PrivateTempDir::remove() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace dsr
