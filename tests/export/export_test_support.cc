#include "export_test_support.h"

#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dsr::export_test {

ScratchDir::ScratchDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/dsr-export-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = buffer.data();
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> list_dir(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

struct Archive {
  explicit Archive(const std::string& path) {
    int error = 0;
    za = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (za == nullptr) throw std::runtime_error("cannot open " + path + " (libzip error " + std::to_string(error) + ")");
  }
  ~Archive() { zip_discard(za); }
  zip_t* za = nullptr;
};

}  // namespace

std::map<std::string, std::string> read_zip(const std::string& zip_path, const std::string& password) {
  Archive archive(zip_path);
  if (!password.empty()) zip_set_default_password(archive.za, password.c_str());
  std::map<std::string, std::string> entries;
  const zip_int64_t count = zip_get_num_entries(archive.za, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t stat;
    if (zip_stat_index(archive.za, index, 0, &stat) != 0) throw std::runtime_error("zip_stat_index failed");
    zip_file_t* file = zip_fopen_index(archive.za, index, 0);
    if (file == nullptr) throw std::runtime_error(std::string("cannot open entry ") + stat.name + ": " + zip_strerror(archive.za));
    std::string bytes(stat.size, '\0');
    const zip_int64_t n = bytes.empty() ? 0 : zip_fread(file, bytes.data(), bytes.size());
    zip_fclose(file);
    if (n != static_cast<zip_int64_t>(bytes.size())) throw std::runtime_error(std::string("short read of ") + stat.name);
    entries[stat.name] = std::move(bytes);
  }
  return entries;
}

std::vector<std::string> zip_entry_names(const std::string& zip_path) {
  Archive archive(zip_path);
  std::vector<std::string> names;
  const zip_int64_t count = zip_get_num_entries(archive.za, 0);
  for (zip_int64_t i = 0; i < count; ++i) names.push_back(zip_get_name(archive.za, static_cast<zip_uint64_t>(i), 0));
  return names;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

ExportOptions options_in(const std::string& export_dir, const std::string& request_id) {
  ExportOptions options;
  options.export_dir = export_dir;
  options.request_id = request_id;
  options.request_type = "access";
  options.dsr_version = "0.1.0-test";
  options.generated_at = TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 3 / 14}} + std::chrono::hours{9} +
                         std::chrono::minutes{26} + std::chrono::seconds{53};
  return options;
}

ExportNotice sample_notice() {
  ExportNotice notice;
  notice.controller_name = "Example & Co <GmbH>";
  notice.controller_contact = "privacy@example.test, Hauptstr. 1, 10115 Berlin";
  notice.supervisory_authority = "Berliner Beauftragte f\xC3\xBCr Datenschutz und Informationsfreiheit";
  notice.datasets.push_back({"crm", {"Customer support", "Invoicing"}, {"Contact details", "Order history"},
                             {"Payment provider"}, "10 years after the last order (tax law)", ""});
  notice.datasets.push_back({"newsletter", {"Sending the newsletter you subscribed to"}, {"E-mail address"}, {},
                             "Until you unsubscribe", ""});
  notice.datasets.push_back({"analytics", {"Improving the shop"}, {"Usage data"}, {}, "", "Our web server logs"});
  return notice;
}

}  // namespace dsr::export_test
