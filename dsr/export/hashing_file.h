#pragma once
// A new file written sequentially through a buffer, hashed (SHA-256) and counted
// as it goes, so a ZIP entry's manifest line needs no second pass over its bytes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr {

struct FileDigest {
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
};

class HashingFile {
 public:
  // Creates the file (O_EXCL, mode 0600).
  static Result<std::unique_ptr<HashingFile>> create(const std::string& path);
  ~HashingFile();
  HashingFile(const HashingFile&) = delete;
  HashingFile& operator=(const HashingFile&) = delete;

  // Errors are sticky: after the first one, writes do nothing and ok() is false,
  // so callers check once per row instead of once per field.
  void write(std::string_view bytes);
  bool ok() const { return error_.empty(); }
  Status status() const;

  // Flushes, closes and returns the digest of everything written.
  Result<FileDigest> close();

  const std::string& path() const { return path_; }

 private:
  HashingFile(std::string path, int fd, void* digest_context);
  void flush();
  void emit(std::string_view bytes);  // hash, write, count

  std::string path_;
  int fd_ = -1;
  void* digest_context_ = nullptr;  // EVP_MD_CTX, kept out of this header
  std::string buffer_;
  std::uint64_t size_ = 0;
  std::string error_;
};

// SHA-256 and size of an existing file, read in blocks.
Result<FileDigest> digest_file(const std::string& path);

}  // namespace dsr
