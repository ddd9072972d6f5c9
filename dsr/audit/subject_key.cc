#include "dsr/audit/subject_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dsr/common/crypto.h"

namespace dsr {

namespace {

constexpr std::size_t kKeyBytes = 32;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

Status SubjectKey::create(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail("key file " + path + ": cannot create: " + errno_text());
  const std::string text = to_hex(random_bytes(kKeyBytes)) + "\n";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const std::string write_error = errno_text();
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return fail("key file " + path + ": cannot write: " + write_error);
  }
  return Status::Ok();
}

Result<SubjectKey> SubjectKey::load(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("key file " + path + ": cannot open: " + errno_text() + " (run `dsr init`)");
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return fail("key file " + path + ": cannot stat: " + errno_text());
  }
  if ((info.st_mode & 077) != 0) {
    ::close(fd);
    return fail("key file " + path + ": readable or writable by others; chmod 600 it");
  }
  std::string text(256, '\0');
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n <= 0) return fail("key file " + path + ": empty or unreadable");
  text.resize(static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.size() != kKeyBytes * 2 || text.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return fail("key file " + path + ": expected " + std::to_string(kKeyBytes * 2) + " lower-case hex digits");
  }
  return SubjectKey(text);
}

std::string SubjectKey::pseudonym(const Identity& identity) const {
  return hmac_sha256_hex(secret_, "subject:" + identity.kind + ":" + identity.value);
}

std::string SubjectKey::seal(const std::string& message) const { return hmac_sha256_hex(secret_, "seal:" + message); }

}  // namespace dsr
