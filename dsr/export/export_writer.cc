#include "dsr/export/export_writer.h"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <set>

#include "dsr/common/text.h"
#include "dsr/export/csv_writer.h"
#include "dsr/export/hashing_file.h"
#include "dsr/export/html_pages.h"
#include "dsr/export/json_writer.h"
#include "dsr/export/manifest.h"
#include "dsr/export/names.h"
#include "dsr/export/password.h"
#include "dsr/export/publish.h"
#include "dsr/export/temp_dir.h"
#include "dsr/export/zip_package.h"

namespace dsr {

namespace {

// The order of a collection's files in the manifest and the ZIP.
constexpr std::array<const char*, 3> kExtensions = {"json", "csv", "html"};

// How much of one export's content may stay in memory until it is zipped; beyond
// it, files go to the private temporary directory. A person's export is usually a
// few hundred kilobytes, and this bounds what a large one adds to the peak memory.
constexpr std::uint64_t kInMemoryBytes = 4 << 20;

struct FinishedCollection {
  std::string dataset;
  std::string collection;
  std::uint64_t rows = 0;
  std::array<std::string, 3> temp_files;  // by kExtensions
  std::array<WrittenFile, 3> files;
};

Status check_column_names(const std::vector<ExportColumn>& columns) {
  if (columns.empty()) return fail("a collection needs at least one column");
  std::set<std::string> seen;
  for (const auto& column : columns) {
    if (column.name.empty() || !is_valid_utf8(column.name) || has_control_chars(column.name)) {
      return fail("column name " + quote_for_message(column.name) +
                  " must be non-empty UTF-8 without control characters");
    }
    if (!seen.insert(column.name).second) {
      return fail("column " + quote_for_message(column.name) + " appears twice");
    }
    if (auto status = export_names::check_column_category(column.category); !status) {
      return fail("column " + quote_for_message(column.name) + ": " + status.error());
    }
  }
  return Status::Ok();
}

bool blank(const std::string& text) { return trim(text).empty(); }

Status check_notice(const ExportNotice& notice, const std::vector<FinishedCollection>& collections) {
  if (blank(notice.controller_name)) return fail("the notice lacks the controller's name (Art. 15(1))");
  if (blank(notice.controller_contact)) return fail("the notice lacks the controller's contact details");
  if (blank(notice.supervisory_authority)) {
    return fail("the notice lacks the supervisory authority (Art. 15(1)(f))");
  }
  std::set<std::string> described;
  for (const auto& dataset : notice.datasets) {
    const std::string name = quote_for_message(dataset.dataset);
    if (!described.insert(dataset.dataset).second) return fail("the notice describes dataset " + name + " twice");
    if (dataset.purposes.empty()) return fail("the notice gives no purpose for dataset " + name + " (Art. 15(1)(a))");
    if (dataset.categories.empty()) {
      return fail("the notice gives no categories of data for dataset " + name + " (Art. 15(1)(b))");
    }
  }
  for (const auto& collection : collections) {
    if (!described.count(collection.dataset)) {
      return fail("the notice does not describe dataset " + quote_for_message(collection.dataset) +
                  ", which holds exported data; Art. 15(1) requires its purposes, recipients and so on");
    }
  }
  return Status::Ok();
}

}  // namespace

class ExportWriter::Impl {
 public:
  Impl(ExportOptions options, PrivateTempDir temp, std::string final_path)
      : options_(std::move(options)), temp_(std::move(temp)), final_path_(std::move(final_path)) {}

  Status begin_collection(const std::string& dataset, const std::string& collection,
                          std::vector<ExportColumn> columns);
  Status add_row(const Row& row);
  Status end_collection();
  Result<ExportResult> finish(const ExportNotice& notice);

  // Wraps a public call: refuses once failed or finished, turns exceptions and
  // errors into a failed writer whose temporary files are gone.
  template <typename R, typename F>
  R guarded(F&& body);

 private:
  enum class State { ready, in_collection, finished, failed };

  Status write_small_file(const std::string& name, const std::string& content, WrittenFile& written);

  ExportOptions options_;
  PrivateTempDir temp_;
  std::string final_path_;
  State state_ = State::ready;
  std::string failure_;
  InMemoryAllowance allowance_{kInMemoryBytes};

  std::vector<FinishedCollection> collections_;
  std::set<std::string> collection_keys_;
  FinishedCollection current_;
  std::size_t current_columns_ = 0;
  std::vector<std::unique_ptr<RowSink>> sinks_;  // by kExtensions, while in a collection
};

template <typename R, typename F>
R ExportWriter::Impl::guarded(F&& body) {
  // Built only on failure: add_row runs once per row.
  const auto prefix = [this] { return "export of request " + options_.request_id + ": "; };
  if (state_ == State::failed) {
    return fail(prefix() + "the writer failed earlier (" + failure_ + "); start a new export");
  }
  if (state_ == State::finished) return fail(prefix() + "the export is already finished");
  std::string problem;
  try {
    R outcome = body();
    if (outcome.ok()) return outcome;
    problem = outcome.error();
  } catch (const std::exception& e) {
    problem = std::string("unexpected error: ") + e.what();
  }
  state_ = State::failed;
  failure_ = problem;
  sinks_.clear();
  temp_.remove();
  return fail(prefix() + problem);
}

Status ExportWriter::Impl::begin_collection(const std::string& dataset, const std::string& collection,
                                            std::vector<ExportColumn> columns) {
  if (state_ == State::in_collection) {
    return fail("collection " + current_.dataset + "/" + current_.collection + " is still open");
  }
  if (auto status = export_names::check_path_name("dataset", dataset); !status) return status;
  if (auto status = export_names::check_path_name("collection", collection); !status) return status;
  if (!collection_keys_.insert(export_names::collection_key(dataset, collection)).second) {
    return fail("collection " + dataset + "/" + collection +
                " was already exported (names are compared ignoring case)");
  }
  if (auto status = check_column_names(columns); !status) {
    return fail("collection " + dataset + "/" + collection + ": " + status.error());
  }

  current_ = FinishedCollection{dataset, collection, 0, {}, {}};
  current_columns_ = columns.size();
  std::vector<std::string> names;
  for (const auto& column : columns) names.push_back(column.name);
  // Temporary names are numbered: nothing about the data needs to be on disk twice.
  const std::string stem = temp_.file("c" + std::to_string(collections_.size()) + ".");
  for (std::size_t i = 0; i < kExtensions.size(); ++i) current_.temp_files[i] = stem + kExtensions[i];

  auto json = JsonArrayWriter::create(current_.temp_files[0], names, &allowance_);
  if (!json) return json.take_error();
  sinks_.push_back(std::move(*json));
  auto csv = CsvWriter::create(current_.temp_files[1], names, &allowance_);
  if (!csv) return csv.take_error();
  sinks_.push_back(std::move(*csv));
  auto html = CollectionPageWriter::create(current_.temp_files[2], dataset, collection, columns, &allowance_);
  if (!html) return html.take_error();
  sinks_.push_back(std::move(*html));
  state_ = State::in_collection;
  return Status::Ok();
}

Status ExportWriter::Impl::add_row(const Row& row) {
  if (state_ != State::in_collection) return fail("add_row() outside a collection");
  if (row.size() != current_columns_) {
    return fail("collection " + current_.dataset + "/" + current_.collection + ": a row has " +
                std::to_string(row.size()) + " values for " + std::to_string(current_columns_) + " columns");
  }
  for (auto& sink : sinks_) {
    if (auto status = sink->add_row(row); !status) return status;
  }
  ++current_.rows;
  return Status::Ok();
}

Status ExportWriter::Impl::end_collection() {
  if (state_ != State::in_collection) return fail("end_collection() without begin_collection()");
  for (std::size_t i = 0; i < sinks_.size(); ++i) {
    auto written = sinks_[i]->finish();
    if (!written) return written.take_error();
    current_.files[i] = std::move(*written);
  }
  sinks_.clear();
  collections_.push_back(std::move(current_));
  current_ = {};
  state_ = State::ready;
  return Status::Ok();
}

Status ExportWriter::Impl::write_small_file(const std::string& name, const std::string& content,
                                            WrittenFile& written) {
  auto file = HashingFile::create(temp_.file(name), &allowance_);
  if (!file) return file.take_error();
  (*file)->write(content);
  auto closed = (*file)->close();
  if (!closed) return closed.take_error();
  written = std::move(*closed);
  return Status::Ok();
}

Result<ExportResult> ExportWriter::Impl::finish(const ExportNotice& notice) {
  if (state_ == State::in_collection) {
    return fail("collection " + current_.dataset + "/" + current_.collection +
                " is still open; call end_collection() before finish()");
  }
  if (auto status = check_notice(notice, collections_); !status) return status.take_error();

  std::vector<IndexCollection> index_collections;
  for (const auto& c : collections_) index_collections.push_back({c.dataset, c.collection, c.rows});
  auto index = render_index(options_, notice, index_collections);
  if (!index) return index.take_error();
  WrittenFile index_file;
  if (auto status = write_small_file("index.html", *index, index_file); !status) return status.take_error();

  ExportResult result;
  result.files.push_back({"index.html", index_file.digest.sha256, index_file.digest.size, std::nullopt});
  std::vector<ZipEntrySource> entries{
      {"index.html", temp_.file("index.html"), index_file.digest.size, index_file.content}};
  std::vector<ZipEntrySource> data_entries;
  for (const auto& c : collections_) {
    for (std::size_t i = 0; i < kExtensions.size(); ++i) {
      const std::string path = export_names::data_path(c.dataset, c.collection, kExtensions[i]);
      const WrittenFile& file = c.files[i];
      result.files.push_back({path, file.digest.sha256, file.digest.size, c.rows});
      data_entries.push_back({path, c.temp_files[i], file.digest.size, file.content});
    }
    result.total_rows += c.rows;
  }

  WrittenFile manifest_file;
  if (auto status = write_small_file("manifest.json", render_manifest(options_, result.files), manifest_file);
      !status) {
    return status.take_error();
  }
  result.manifest_sha256 = manifest_file.digest.sha256;
  entries.push_back({"manifest.json", temp_.file("manifest.json"), manifest_file.digest.size, manifest_file.content});
  entries.insert(entries.end(), data_entries.begin(), data_entries.end());

  if (options_.encrypt) result.password = generate_export_password();
  // Built inside the private directory: libzip's own temporary file lands there
  // too, and whatever goes wrong is removed with the directory.
  const std::string partial = temp_.file(options_.request_id + ".zip.partial");
  auto zip_digest = write_zip(partial, entries, result.password, options_.generated_at);
  if (!zip_digest) return zip_digest.take_error();
  if (auto status = publish_file(partial, final_path_); !status) return status.take_error();

  result.zip_path = final_path_;
  result.zip_sha256 = zip_digest->sha256;
  result.zip_size = zip_digest->size;
  temp_.remove();
  state_ = State::finished;
  return result;
}

Result<std::unique_ptr<ExportWriter>> ExportWriter::open(ExportOptions options) {
  const std::string prefix = "export of request " + quote_for_message(options.request_id) + ": ";
  if (auto status = export_names::check_request_id(options.request_id); !status) {
    return fail("export: " + status.error());
  }
  if (auto status = export_names::check_request_type(options.request_type); !status) {
    return fail(prefix + status.error());
  }
  if (blank(options.dsr_version)) return fail(prefix + "the dsr version is missing");
  struct stat info {};
  if (::stat(options.export_dir.c_str(), &info) != 0) {
    return fail(prefix + "export directory " + options.export_dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(info.st_mode)) return fail(prefix + options.export_dir + " is not a directory");
  if (options.encrypt && !zip_aes256_supported()) {
    return fail(prefix + "encryption was asked for, but this libzip cannot write AES-256 "
                         "(it was built without a crypto backend)");
  }
  const std::string final_path = options.export_dir + "/" + options.request_id + ".zip";
  struct stat existing {};
  if (::lstat(final_path.c_str(), &existing) == 0) {
    return fail(prefix + final_path + " already exists; remove it first to export again");
  }
  try {
    auto temp = PrivateTempDir::create(options.export_dir, "." + options.request_id + ".export-");
    if (!temp) return fail(prefix + temp.error());
    auto impl = std::make_unique<Impl>(std::move(options), std::move(*temp), final_path);
    return std::unique_ptr<ExportWriter>(new ExportWriter(std::move(impl)));
  } catch (const std::exception& e) {
    return fail(prefix + "unexpected error: " + e.what());
  }
}

ExportWriter::ExportWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ExportWriter::~ExportWriter() = default;

Status ExportWriter::begin_collection(const std::string& dataset, const std::string& collection,
                                      std::vector<ExportColumn> columns) {
  return impl_->guarded<Status>([&] { return impl_->begin_collection(dataset, collection, std::move(columns)); });
}

Status ExportWriter::add_row(const Row& row) {
  return impl_->guarded<Status>([&] { return impl_->add_row(row); });
}

Status ExportWriter::end_collection() {
  return impl_->guarded<Status>([&] { return impl_->end_collection(); });
}

Result<ExportResult> ExportWriter::finish(const ExportNotice& notice) {
  return impl_->guarded<Result<ExportResult>>([&] { return impl_->finish(notice); });
}

}  // namespace dsr
