#pragma once
// A JSON array with one object per row, one row per line ("[\n{...},\n{...}\n]\n"),
// keys in column order. Integers and doubles are numbers, booleans and NULL keep
// their JSON types; see value_text.h for the spelling of each value.

#include <memory>
#include <string>
#include <vector>

#include "dsr/export/row_sink.h"

namespace dsr {

class JsonArrayWriter : public RowSink {
 public:
  // Precondition: the names are distinct (duplicate keys would make the object ambiguous).
  // `allowance`: see HashingFile::create.
  static Result<std::unique_ptr<JsonArrayWriter>> create(const std::string& path,
                                                         const std::vector<std::string>& column_names,
                                                         InMemoryAllowance* allowance = nullptr);
  Status add_row(const Row& row) override;
  Result<WrittenFile> finish() override;

 private:
  JsonArrayWriter(std::unique_ptr<HashingFile> file, std::vector<std::string> quoted_keys)
      : file_(std::move(file)), quoted_keys_(std::move(quoted_keys)) {}
  std::unique_ptr<HashingFile> file_;
  std::vector<std::string> quoted_keys_;  // "\"name\":", built once
  std::string line_;
  bool first_ = true;
};

}  // namespace dsr
