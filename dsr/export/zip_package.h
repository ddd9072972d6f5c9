#pragma once
// Packs finished files into a ZIP with libzip. Entries on disk are added as file
// sources, which libzip reads only at zip_close, so the package never sits in memory;
// entries the export kept in memory (within its allowance) are added as buffers.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/export/hashing_file.h"

namespace dsr {

struct ZipEntrySource {
  std::string name;  // entry name inside the ZIP
  std::string file;  // file on disk holding its bytes, unless `content` holds them
  std::uint64_t size = 0;
  std::shared_ptr<const std::string> content;  // the bytes themselves, when not on disk
};

// Whether the linked libzip can write WinZip AES-256 (it depends on the crypto
// backend libzip was built with, so it is asked at run time).
bool zip_aes256_supported();

// Writes a new ZIP at zip_path (which must not exist): deflated entries in the
// given order, each with `mtime`, each AES-256 encrypted under `password` unless
// it is empty; returns the digest of the ZIP file. When every entry is in memory
// the archive is built in memory too, else libzip builds it in a file. On failure
// nothing is left at zip_path.
Result<FileDigest> write_zip(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                             const std::string& password, TimePoint mtime);

}  // namespace dsr
