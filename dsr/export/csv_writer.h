#pragma once
// RFC 4180 CSV: UTF-8 without BOM, a header row of column names, CRLF after every
// record, fields quoted only when they hold a comma, quote, CR or LF, quotes doubled.
// NULL is an empty field, so it cannot be told from "" here; the JSON keeps the difference.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsr/export/row_sink.h"

namespace dsr {

// Appends one field, quoted when needed.
void append_csv_field(std::string& out, std::string_view field);

class CsvWriter : public RowSink {
 public:
  // `allowance`: see HashingFile::create.
  static Result<std::unique_ptr<CsvWriter>> create(const std::string& path,
                                                   const std::vector<std::string>& column_names,
                                                   InMemoryAllowance* allowance = nullptr);
  Status add_row(const Row& row) override;
  Result<WrittenFile> finish() override;

 private:
  explicit CsvWriter(std::unique_ptr<HashingFile> file) : file_(std::move(file)) {}
  std::unique_ptr<HashingFile> file_;
  std::string line_;  // reused, so a row costs no allocation once it has grown
};

}  // namespace dsr
