#pragma once
// Helpers shared by the export tests: a scratch export directory, reading a ZIP
// back with libzip, and a notice that satisfies the writer.

#include <map>
#include <string>
#include <vector>

#include "dsr/export/export_writer.h"

namespace dsr::export_test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents afterwards.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Names in a directory, sorted, including dot files.
std::vector<std::string> list_dir(const std::string& path);

// Every entry of the ZIP (name -> uncompressed bytes); throws std::runtime_error
// when libzip cannot open the archive or read an entry.
std::map<std::string, std::string> read_zip(const std::string& zip_path, const std::string& password = "");

// Entry names in archive order.
std::vector<std::string> zip_entry_names(const std::string& zip_path);

std::string read_file(const std::string& path);

ExportOptions options_in(const std::string& export_dir, const std::string& request_id = "0f8fad5b-d9cb-469f-a165-70867728950e");

// Describes datasets "crm", "newsletter" and "analytics".
ExportNotice sample_notice();

}  // namespace dsr::export_test
