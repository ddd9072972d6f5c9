#pragma once
// Packs finished files into a ZIP with libzip. The entries are added as file
// sources, which libzip reads only at zip_close, so the package never sits in memory.

#include <cstdint>
#include <string>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/common/time.h"

namespace dsr {

struct ZipEntrySource {
  std::string name;  // entry name inside the ZIP
  std::string file;  // file on disk holding its bytes
  std::uint64_t size = 0;
};

// Whether the linked libzip can write WinZip AES-256 (it depends on the crypto
// backend libzip was built with, so it is asked at run time).
bool zip_aes256_supported();

// Writes a new ZIP at zip_path (which must not exist): deflated entries in the
// given order, each with `mtime`, each AES-256 encrypted under `password` unless
// it is empty. On failure nothing is left at zip_path.
Status write_zip(const std::string& zip_path, const std::vector<ZipEntrySource>& entries,
                 const std::string& password, TimePoint mtime);

}  // namespace dsr
