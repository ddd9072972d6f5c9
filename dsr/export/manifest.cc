#include "dsr/export/manifest.h"

#include "dsr/common/canonical_json.h"
#include "dsr/export/value_text.h"

namespace dsr {

std::string render_manifest(const ExportOptions& options, const std::vector<ExportedFile>& files) {
  const auto quote = [](const std::string& text) { return json_quote(export_text::clean_utf8(text)); };
  std::string out = "{\n";
  out += "  \"request_id\": " + quote(options.request_id) + ",\n";
  out += "  \"request_type\": " + quote(options.request_type) + ",\n";
  out += "  \"generated_at\": " + quote(format_utc(options.generated_at)) + ",\n";
  out += "  \"dsr_version\": " + quote(options.dsr_version) + ",\n";
  out += "  \"files\": [";
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& file = files[i];
    out += i == 0 ? "\n" : ",\n";
    out += "    {\"path\": " + quote(file.path) + ", \"sha256\": " + quote(file.sha256) +
           ", \"size\": " + std::to_string(file.size);
    if (file.rows) out += ", \"rows\": " + std::to_string(*file.rows);
    out += "}";
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace dsr
