#include "dsr/export/publish.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace dsr {

namespace {

std::string error_text() { return std::strerror(errno); }

std::string parent_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status sync_path(const std::string& path, int flags, bool restrict_mode) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return fail("cannot open " + path + " to sync it: " + error_text());
  std::string problem;
  if (restrict_mode && ::fchmod(fd, 0600) != 0) problem = "cannot set the mode of " + path + ": " + error_text();
  if (problem.empty() && ::fsync(fd) != 0) problem = "cannot sync " + path + ": " + error_text();
  ::close(fd);
  if (!problem.empty()) return fail(problem);
  return Status::Ok();
}

// rename(2) replaces silently; an existing package (whose password the person
// may already have) must never be swapped underneath them.
Status rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return Status::Ok();
  if (errno == EEXIST) return fail(to + " already exists");
  if (errno != EINVAL && errno != ENOSYS) return fail("cannot rename " + from + " to " + to + ": " + error_text());
  // The file system lacks RENAME_NOREPLACE; link(2) also refuses to replace.
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return fail(to + " already exists");
    return fail("cannot link " + from + " to " + to + ": " + error_text());
  }
  ::unlink(from.c_str());
  return Status::Ok();
}

}  // namespace

Status publish_file(const std::string& from, const std::string& to) {
  if (auto status = sync_path(from, O_RDONLY, true); !status) return status;
  if (auto status = rename_no_replace(from, to); !status) return status;
  if (auto status = sync_path(parent_of(to), O_RDONLY | O_DIRECTORY, false); !status) {
    ::unlink(to.c_str());
    return status;
  }
  return Status::Ok();
}

}  // namespace dsr
