#include "dsr/run/export_sink.h"

namespace dsr {

namespace {

bool portable(DataCategory category) {
  return category == DataCategory::provided || category == DataCategory::observed;
}

std::string category_name(DataCategory category) {
  return category == DataCategory::none ? "" : std::string(to_string(category));
}

}  // namespace

std::vector<std::string> ExportSink::fields_for(const DatasetMapping&, const CollectionMapping& collection) {
  std::vector<std::string> fields;
  for (const auto& field : collection.fields) {
    if (type_ != RequestType::portability || portable(field.category)) fields.push_back(field.name);
  }
  return fields;
}

Status ExportSink::begin(const DatasetMapping& dataset, const CollectionMapping& collection,
                         const std::vector<std::string>& fields) {
  std::vector<ExportColumn> columns;
  for (const auto& name : fields) {
    const FieldMapping* field = collection.field(name);
    columns.push_back({name, field ? category_name(field->category) : ""});
  }
  return writer_.begin_collection(dataset.dataset, collection.name, std::move(columns));
}

Status ExportSink::row(const Row& row) { return writer_.add_row(row); }

Status ExportSink::end(std::uint64_t) { return writer_.end_collection(); }

ExportNotice export_notice(const Config& config, const std::vector<DatasetMapping>& mappings, RequestType type) {
  ExportNotice notice;
  notice.controller_name = config.controller.name;
  notice.controller_contact = config.controller.contact;
  notice.supervisory_authority = config.controller.supervisory_authority;
  for (const auto& mapping : mappings) {
    DatasetNotice dataset;
    dataset.dataset = mapping.dataset;
    dataset.purposes = mapping.purposes;
    dataset.recipients = mapping.recipients;
    dataset.retention = mapping.retention;
    dataset.source = mapping.source;
    const std::pair<DataCategory, const char*> kinds[] = {
        {DataCategory::provided, "Data you provided"},
        {DataCategory::observed, "Data observed about you"},
        {DataCategory::inferred, "Data inferred about you"},
    };
    for (const auto& [category, label] : kinds) {
      if (type == RequestType::portability && !portable(category)) continue;
      std::string fields;
      for (const auto& collection : mapping.collections) {
        for (const auto& field : collection.fields) {
          if (field.category != category) continue;
          fields += (fields.empty() ? "" : ", ") + collection.name + "." + field.name;
        }
      }
      if (!fields.empty()) dataset.categories.push_back(std::string(label) + ": " + fields);
    }
    notice.datasets.push_back(std::move(dataset));
  }
  return notice;
}

}  // namespace dsr
