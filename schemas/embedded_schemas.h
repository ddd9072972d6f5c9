#pragma once
// The JSON schemas from the repository's schemas/ folder, compiled into the binary
// so that validation never depends on files installed next to it.

#include <optional>
#include <string_view>
#include <vector>

namespace dsr {

// The text of schemas/<file_name> (e.g. "config.schema.json") as it was at build
// time, or nullopt when there is no such schema. The view refers to static storage.
std::optional<std::string_view> embedded_schema(std::string_view file_name);

// The file names of all embedded schemas, sorted.
std::vector<std::string_view> embedded_schema_names();

}  // namespace dsr
