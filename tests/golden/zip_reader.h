#pragma once
// Reads an export ZIP back with libzip, independently of the writer that made it.

#include <string>
#include <utility>
#include <vector>

namespace dsr::golden {

// Every entry as (name, uncompressed bytes), in archive order. Throws
// std::runtime_error when the archive or an entry cannot be read.
std::vector<std::pair<std::string, std::string>> read_zip(const std::string& path);

}  // namespace dsr::golden
