#include "dsr/export/hashing_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dsr/common/crypto.h"

namespace dsr {

namespace {

// Large enough that write(2) and the digest update run on big blocks.
constexpr std::size_t kBufferSize = 1 << 16;

}  // namespace

Result<std::unique_ptr<HashingFile>> HashingFile::create(const std::string& path, InMemoryAllowance* allowance) {
  if (allowance != nullptr) return std::unique_ptr<HashingFile>(new HashingFile(path, -1, allowance));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail("cannot create " + path + ": " + std::strerror(errno));
  return std::unique_ptr<HashingFile>(new HashingFile(path, fd, nullptr));
}

HashingFile::HashingFile(std::string path, int fd, InMemoryAllowance* allowance)
    : path_(std::move(path)), fd_(fd), allowance_(allowance) {
  // In memory, the bytes go straight into memory_; the block buffer is for the disk.
  if (allowance_ == nullptr) buffer_.reserve(kBufferSize);
}

HashingFile::~HashingFile() {
  if (fd_ >= 0) ::close(fd_);
}

void HashingFile::write(std::string_view bytes) {
  if (!ok()) return;
  if (allowance_ != nullptr) {
    if (allowance_->take(bytes.size())) {
      memory_.append(bytes);
      return;
    }
    spill();
    if (!ok()) return;
  }
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    emit(bytes);  // too big to be worth copying into the buffer
  } else {
    buffer_.append(bytes);
  }
}

void HashingFile::spill() {
  allowance_->give_back(memory_.size());
  allowance_ = nullptr;
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error_ = "cannot create " + path_ + ": " + std::strerror(errno);
    return;
  }
  buffer_.reserve(kBufferSize);
  emit(memory_);
  std::string().swap(memory_);
}

void HashingFile::flush() {
  emit(buffer_);
  buffer_.clear();
}

void HashingFile::emit(std::string_view bytes) {
  if (!ok() || bytes.empty()) return;
  digest_.update(bytes);
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = "cannot write " + path_ + ": " + std::strerror(errno);
      return;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  size_ += bytes.size();
}

Status HashingFile::status() const {
  if (ok()) return Status::Ok();
  return fail(error_);
}

Result<WrittenFile> HashingFile::close() {
  if (closed_) return fail(path_ + " is already closed");
  closed_ = true;
  if (!ok()) return fail(error_);
  std::shared_ptr<const std::string> content;
  if (allowance_ != nullptr) {
    // Still in memory: one digest update over the whole, and no file at all.
    digest_.update(memory_);
    size_ = memory_.size();
    content = std::make_shared<const std::string>(std::move(memory_));
  } else {
    flush();
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0 && ok()) error_ = "cannot close " + path_ + ": " + std::strerror(errno);
    if (!ok()) return fail(error_);
  }
  return WrittenFile{FileDigest{digest_.hex_digest(), size_}, std::move(content)};
}

Result<FileDigest> digest_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail("cannot open " + path + ": " + std::strerror(errno));
  Sha256 digest;
  std::string problem;
  std::string buffer(kBufferSize, '\0');
  std::uint64_t size = 0;
  while (problem.empty()) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) problem = "cannot read " + path + ": " + std::strerror(errno);
    if (n <= 0) break;
    digest.update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    size += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  if (!problem.empty()) return fail(problem);
  return FileDigest{digest.hex_digest(), size};
}

}  // namespace dsr
