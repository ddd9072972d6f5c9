#pragma once
// The human-readable part of the package: index.html and one page per collection.
// Pages come from the mustache templates in templates/ (compiled in), which
// HTML-escape every {{value}}; the pages load nothing from outside (inline CSS,
// and a Content-Security-Policy that forbids scripts and remote loads).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dsr/export/export_writer.h"
#include "dsr/export/row_sink.h"

namespace dsr {

// data/<dataset>/<collection>.html: a table with a header row naming the columns
// and their categories, one table row per data row, and the row count at the end.
class CollectionPageWriter : public RowSink {
 public:
  static Result<std::unique_ptr<CollectionPageWriter>> create(const std::string& path, const std::string& dataset,
                                                              const std::string& collection,
                                                              const std::vector<ExportColumn>& columns,
                                                              InMemoryAllowance* allowance = nullptr);
  ~CollectionPageWriter() override;
  Status add_row(const Row& row) override;
  Result<WrittenFile> finish() override;

 private:
  struct Templates;
  static Result<Templates*> templates_of_this_thread();
  CollectionPageWriter(std::unique_ptr<HashingFile> file, Templates& templates);
  std::unique_ptr<HashingFile> file_;
  Templates& templates_;  // parsed once per thread
  std::uint64_t rows_ = 0;
};

struct IndexCollection {
  std::string dataset;
  std::string collection;
  std::uint64_t rows = 0;
};

// index.html. Every dataset in the notice gets its Art. 15(1) section and a data
// section (saying no data was found when it has no collections). Precondition:
// every collection's dataset is in the notice.
Result<std::string> render_index(const ExportOptions& options, const ExportNotice& notice,
                                 const std::vector<IndexCollection>& collections);

}  // namespace dsr
