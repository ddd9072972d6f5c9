#pragma once
// Discovery's rows into an export ZIP: access exports every mapped field, portability
// only what the person provided or what was observed about them (WP29's reading of
// Art. 20), never what was inferred; a collection without such fields is left out.

#include <vector>

#include "dsr/config/config.h"
#include "dsr/export/export_writer.h"
#include "dsr/model/request.h"
#include "dsr/run/discovery.h"

namespace dsr {

class ExportSink : public CollectionSink {
 public:
  ExportSink(ExportWriter& writer, RequestType type) : writer_(writer), type_(type) {}

  std::vector<std::string> fields_for(const DatasetMapping& dataset, const CollectionMapping& collection) override;
  Status begin(const DatasetMapping& dataset, const CollectionMapping& collection,
               const std::vector<std::string>& fields) override;
  Status row(const Row& row) override;
  Status end(std::uint64_t rows) override;

 private:
  ExportWriter& writer_;
  RequestType type_;
};

// The Art. 15(1) information for the export's index, from the config and the mappings.
ExportNotice export_notice(const Config& config, const std::vector<DatasetMapping>& mappings, RequestType type);

}  // namespace dsr
