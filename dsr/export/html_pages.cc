#include "dsr/export/html_pages.h"

#include <kainjow/mustache.hpp>

#include <variant>

#include "dsr/export/names.h"
#include "dsr/export/value_text.h"
#include "export_templates.h"

namespace dsr {

namespace mustache = kainjow::mustache;

namespace {

// The shared style (templates/style.mustache, plain CSS without tags) is data, not
// template text: {{{style}}} copies it unescaped. kainjow parses a template character by
// character, at hundreds of instructions each, and as a partial or as text pasted into
// the templates the style would be parsed for index.html and every collection page.
mustache::data style() { return mustache::data(std::string(export_templates::style)); }

Result<std::unique_ptr<mustache::mustache>> parse(std::string_view name, std::string_view text) {
  auto tmpl = std::make_unique<mustache::mustache>(std::string(text));
  if (!tmpl->is_valid()) {
    return fail("export template " + std::string(name) + ".mustache is invalid: " + tmpl->error_message());
  }
  return tmpl;
}

mustache::data string_list(const std::vector<std::string>& items) {
  mustache::data list{mustache::data::type::list};
  for (const auto& item : items) list.push_back(mustache::data(export_text::clean_utf8(item)));
  return list;
}

mustache::data text(const std::string& value) { return mustache::data(export_text::clean_utf8(value)); }

bool is_number(const Value& value) {
  return std::holds_alternative<std::int64_t>(value) || std::holds_alternative<double>(value);
}

}  // namespace

struct CollectionPageWriter::Templates {
  std::unique_ptr<mustache::mustache> head;
  std::unique_ptr<mustache::mustache> row;
  std::unique_ptr<mustache::mustache> foot;
};

// An export writes one page per collection from the same three templates: they are
// parsed once per thread, not once per page (parsing cost more than rendering). Per
// thread because rendering uses the parsed template's state.
Result<CollectionPageWriter::Templates*> CollectionPageWriter::templates_of_this_thread() {
  thread_local std::unique_ptr<Templates> parsed;
  if (parsed) return parsed.get();
  auto templates = std::make_unique<Templates>();
  auto head = parse("collection_head", export_templates::collection_head);
  if (!head) return head.take_error();
  templates->head = std::move(*head);
  auto row = parse("collection_row", export_templates::collection_row);
  if (!row) return row.take_error();
  templates->row = std::move(*row);
  auto foot = parse("collection_foot", export_templates::collection_foot);
  if (!foot) return foot.take_error();
  templates->foot = std::move(*foot);
  parsed = std::move(templates);
  return parsed.get();
}

CollectionPageWriter::CollectionPageWriter(std::unique_ptr<HashingFile> file, Templates& templates)
    : file_(std::move(file)), templates_(templates) {}

CollectionPageWriter::~CollectionPageWriter() = default;

Result<std::unique_ptr<CollectionPageWriter>> CollectionPageWriter::create(const std::string& path,
                                                                           const std::string& dataset,
                                                                           const std::string& collection,
                                                                           const std::vector<ExportColumn>& columns,
                                                                           InMemoryAllowance* allowance) {
  auto templates = templates_of_this_thread();
  if (!templates) return templates.take_error();

  auto file = HashingFile::create(path, allowance);
  if (!file) return file.take_error();
  std::unique_ptr<CollectionPageWriter> writer(new CollectionPageWriter(std::move(*file), **templates));

  mustache::data data;
  data.set("style", style());
  data.set("dataset", text(dataset));
  data.set("collection", text(collection));
  mustache::data column_list{mustache::data::type::list};
  for (const auto& column : columns) {
    mustache::data item;
    item.set("name", text(column.name));
    item.set("category", text(column.category));
    item.set("has_category", mustache::data(!column.category.empty()));
    column_list.push_back(item);
  }
  data.set("columns", column_list);
  HashingFile& out = *writer->file_;
  writer->templates_.head->render(data, [&out](const std::string& chunk) { out.write(chunk); });
  if (auto status = out.status(); !status) return status.take_error();
  return writer;
}

Status CollectionPageWriter::add_row(const Row& row) {
  mustache::data cells{mustache::data::type::list};
  for (const auto& value : row) {
    mustache::data cell;
    cell.set("text", mustache::data(export_text::display_text(value)));
    if (is_null(value)) cell.set("null", mustache::data(true));
    if (is_number(value)) cell.set("number", mustache::data(true));
    cells.push_back(cell);
  }
  mustache::data data;
  data.set("cells", cells);
  HashingFile& out = *file_;
  templates_.row->render(data, [&out](const std::string& chunk) { out.write(chunk); });
  ++rows_;
  return out.status();
}

Result<WrittenFile> CollectionPageWriter::finish() {
  mustache::data data;
  data.set("rows", mustache::data(std::to_string(rows_)));
  data.set("one", mustache::data(rows_ == 1));
  HashingFile& out = *file_;
  templates_.foot->render(data, [&out](const std::string& chunk) { out.write(chunk); });
  return out.close();
}

Result<std::string> render_index(const ExportOptions& options, const ExportNotice& notice,
                                 const std::vector<IndexCollection>& collections) {
  auto tmpl = parse("index", export_templates::index);
  if (!tmpl) return tmpl.take_error();

  mustache::data data;
  data.set("style", style());
  data.set("controller_name", text(notice.controller_name));
  data.set("controller_contact", text(notice.controller_contact));
  data.set("supervisory_authority", text(notice.supervisory_authority));
  data.set("request_id", text(options.request_id));
  data.set("request_label", text(options.request_type == "portability" ? "data portability" : "access"));
  data.set("portability", mustache::data(options.request_type == "portability"));
  data.set("generated_at", text(format_utc(options.generated_at)));
  data.set("dsr_version", text(options.dsr_version));

  std::uint64_t total_rows = 0;
  mustache::data notices{mustache::data::type::list};
  mustache::data sections{mustache::data::type::list};
  for (const auto& dataset : notice.datasets) {
    mustache::data item;
    item.set("dataset", text(dataset.dataset));
    item.set("purposes", string_list(dataset.purposes));
    item.set("categories", string_list(dataset.categories));
    item.set("recipients", string_list(dataset.recipients));
    item.set("has_recipients", mustache::data(!dataset.recipients.empty()));
    item.set("retention", text(dataset.retention));
    item.set("has_retention", mustache::data(!dataset.retention.empty()));
    item.set("source", text(dataset.source));
    item.set("has_source", mustache::data(!dataset.source.empty()));
    notices.push_back(item);

    mustache::data section;
    section.set("dataset", text(dataset.dataset));
    mustache::data links{mustache::data::type::list};
    bool any = false;
    for (const auto& collection : collections) {
      if (collection.dataset != dataset.dataset) continue;
      any = true;
      total_rows += collection.rows;
      mustache::data link;
      link.set("collection", text(collection.collection));
      link.set("rows", mustache::data(std::to_string(collection.rows)));
      link.set("html_path", text(export_names::data_path(collection.dataset, collection.collection, "html")));
      link.set("json_path", text(export_names::data_path(collection.dataset, collection.collection, "json")));
      link.set("csv_path", text(export_names::data_path(collection.dataset, collection.collection, "csv")));
      links.push_back(link);
    }
    section.set("collections", links);
    section.set("has_collections", mustache::data(any));
    sections.push_back(section);
  }
  data.set("notices", notices);
  data.set("data_sections", sections);
  data.set("total_rows", mustache::data(std::to_string(total_rows)));
  data.set("one_row", mustache::data(total_rows == 1));
  return (*tmpl)->render(data);
}

}  // namespace dsr
