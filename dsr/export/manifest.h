#pragma once
// manifest.json: what the package answers and what it holds, so the person (or
// a later check) can tell that every file arrived unchanged. The layout is
// described by schemas/export-manifest.schema.json. The manifest cannot hold
// its own hash, so it does not list itself.

#include <string>
#include <vector>

#include "dsr/export/export_writer.h"

namespace dsr {

// Deterministic text: fixed key order, one file per line, UTF-8, trailing newline.
std::string render_manifest(const ExportOptions& options, const std::vector<ExportedFile>& files);

}  // namespace dsr
