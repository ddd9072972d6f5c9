#include "dsr/export/json_writer.h"

#include "dsr/common/canonical_json.h"
#include "dsr/export/value_text.h"

namespace dsr {

Result<std::unique_ptr<JsonArrayWriter>> JsonArrayWriter::create(const std::string& path,
                                                                 const std::vector<std::string>& column_names,
                                                                 InMemoryAllowance* allowance) {
  auto file = HashingFile::create(path, allowance);
  if (!file) return file.take_error();
  std::vector<std::string> keys;
  keys.reserve(column_names.size());
  for (const auto& name : column_names) keys.push_back(json_quote(export_text::clean_utf8(name)) + ":");
  std::unique_ptr<JsonArrayWriter> writer(new JsonArrayWriter(std::move(*file), std::move(keys)));
  writer->file_->write("[");
  if (auto status = writer->file_->status(); !status) return status.take_error();
  return writer;
}

Status JsonArrayWriter::add_row(const Row& row) {
  line_.assign(first_ ? "\n{" : ",\n{");
  first_ = false;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i != 0) line_.push_back(',');
    line_ += quoted_keys_[i];
    line_ += export_text::json_literal(row[i]);
  }
  line_.push_back('}');
  file_->write(line_);
  return file_->status();
}

Result<WrittenFile> JsonArrayWriter::finish() {
  file_->write("\n]\n");
  return file_->close();
}

}  // namespace dsr
