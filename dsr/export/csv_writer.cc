#include "dsr/export/csv_writer.h"

#include "dsr/export/value_text.h"

namespace dsr {

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

Result<std::unique_ptr<CsvWriter>> CsvWriter::create(const std::string& path,
                                                     const std::vector<std::string>& column_names,
                                                     InMemoryAllowance* allowance) {
  auto file = HashingFile::create(path, allowance);
  if (!file) return file.take_error();
  std::unique_ptr<CsvWriter> writer(new CsvWriter(std::move(*file)));
  std::string line;
  for (std::size_t i = 0; i < column_names.size(); ++i) {
    if (i != 0) line.push_back(',');
    append_csv_field(line, export_text::clean_utf8(column_names[i]));
  }
  line += "\r\n";
  writer->file_->write(line);
  if (auto status = writer->file_->status(); !status) return status.take_error();
  return writer;
}

Status CsvWriter::add_row(const Row& row) {
  line_.clear();
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i != 0) line_.push_back(',');
    append_csv_field(line_, export_text::display_text(row[i]));
  }
  line_ += "\r\n";
  file_->write(line_);
  return file_->status();
}

Result<WrittenFile> CsvWriter::finish() { return file_->close(); }

}  // namespace dsr
