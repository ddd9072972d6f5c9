#pragma once
// A new file written sequentially through a buffer, hashed (SHA-256) and counted
// as it goes, so a ZIP entry's manifest line needs no second pass over its bytes.
//
// Given an InMemoryAllowance, the file starts in memory and is created on disk only
// when the export's allowance runs out: a person's export is mostly a few dozen
// small files, and creating, reading back and deleting each one cost more than
// writing their data (ext4 inode work, page cache, unlink).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dsr/common/crypto.h"
#include "dsr/common/result.h"

namespace dsr {

struct FileDigest {
  std::string sha256;  // lower-case hex
  std::uint64_t size = 0;
};

// A closed HashingFile: its digest, and its bytes when they never went to disk
// (null content: they are in the file at the path it was created for).
struct WrittenFile {
  FileDigest digest;
  std::shared_ptr<const std::string> content;
};

// Bytes of one export that may stay in memory instead of in temporary files, shared
// by all its HashingFiles; it bounds the memory an export holds, whatever its size.
class InMemoryAllowance {
 public:
  explicit InMemoryAllowance(std::uint64_t bytes) : left_(bytes) {}
  // Takes `bytes` if that many are left.
  bool take(std::uint64_t bytes) {
    if (bytes > left_) return false;
    left_ -= bytes;
    return true;
  }
  void give_back(std::uint64_t bytes) { left_ += bytes; }

 private:
  std::uint64_t left_;
};

class HashingFile {
 public:
  // Without an allowance: creates the file now (O_EXCL, mode 0600). With one: the
  // bytes stay in memory while the allowance lasts; the file is created (O_EXCL,
  // 0600) only when they no longer fit, and then holds everything written.
  static Result<std::unique_ptr<HashingFile>> create(const std::string& path,
                                                     InMemoryAllowance* allowance = nullptr);
  ~HashingFile();
  HashingFile(const HashingFile&) = delete;
  HashingFile& operator=(const HashingFile&) = delete;

  // Errors are sticky: after the first one, writes do nothing and ok() is false,
  // so callers check once per row instead of once per field.
  void write(std::string_view bytes);
  bool ok() const { return error_.empty(); }
  Status status() const;

  // Flushes, closes and returns the digest of everything written, with the bytes
  // when they stayed in memory.
  Result<WrittenFile> close();

  const std::string& path() const { return path_; }

 private:
  HashingFile(std::string path, int fd, InMemoryAllowance* allowance);
  void spill();  // moves the in-memory bytes into a new file at path_
  void flush();
  void emit(std::string_view bytes);  // hash, write, count

  std::string path_;
  int fd_ = -1;
  Sha256 digest_;
  InMemoryAllowance* allowance_ = nullptr;  // set while the bytes are in memory
  std::string memory_;                      // the bytes, while in memory (not yet hashed)
  bool closed_ = false;
  std::string buffer_;
  std::uint64_t size_ = 0;
  std::string error_;
};

// SHA-256 and size of an existing file, read in blocks.
Result<FileDigest> digest_file(const std::string& path);

}  // namespace dsr
