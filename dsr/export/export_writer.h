#pragma once
// The package that answers an access (Art. 15) or portability (Art. 20) request:
// one ZIP per request, <export_dir>/<request-id>.zip, holding
//
//   index.html                           Art. 15(1) information, rights, links to the data
//   data/<dataset>/<collection>.html     the person's rows as a table (one page per collection)
//   data/<dataset>/<collection>.json     array of {column: value}, types kept
//   data/<dataset>/<collection>.csv      RFC 4180, UTF-8, header row, CRLF
//   manifest.json                        request, version, and per file path/sha256/size/rows
//                                        (schemas/export-manifest.schema.json; not listing itself)
//
// Rows stream through: each file is written to a private temporary directory
// (mode 0700, inside export_dir) as rows arrive, so memory does not grow with the
// number of rows. finish() zips those files, fsyncs, and renames the ZIP into
// place without replacing an existing one, so the final name only ever holds a
// complete package. Whatever does not reach that point is removed, also when the
// writer is destroyed without finish(). A crash can leave a ".<request-id>.export-*"
// directory behind, never a partial "<request-id>.zip".
//
// Names in the ZIP and on disk hold only the request id and dataset/collection
// names, never personal data. Text that is not well-formed UTF-8 is written with
// each offending byte replaced by U+FFFD.
//
// Not thread-safe; one writer per request.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/common/value.h"

namespace dsr {

struct ExportColumn {
  std::string name;      // non-empty, UTF-8 without control characters, unique within the collection
  std::string category;  // "provided", "observed", "inferred" (Art. 20 covers the first two) or ""
};

// Art. 15(1)(a)-(d), (g) information for one dataset, shown in index.html.
struct DatasetNotice {
  std::string dataset;
  std::vector<std::string> purposes;    // at least one
  std::vector<std::string> categories;  // at least one
  std::vector<std::string> recipients;  // may be empty
  std::string retention;                // may be empty ("not stated")
  std::string source;                   // may be empty (collected from the person)
};

struct ExportNotice {
  std::string controller_name;        // required
  std::string controller_contact;     // required
  std::string supervisory_authority;  // required
  std::vector<DatasetNotice> datasets;  // one per exported dataset, more are allowed
};

struct ExportOptions {
  std::string export_dir;    // must exist; the ZIP and the temporary directory go here
  std::string request_id;    // [a-z0-9][a-z0-9-]{0,63}, e.g. a lower-case UUID
  std::string request_type;  // "access" or "portability"
  std::string dsr_version;   // recorded in the manifest
  TimePoint generated_at;    // recorded in the manifest and as the entries' mtime
  bool encrypt = false;      // AES-256 on every entry, random password in the result
};

struct ExportedFile {
  std::string path;    // inside the ZIP
  std::string sha256;  // lower-case hex of the uncompressed bytes
  std::uint64_t size = 0;
  std::optional<std::uint64_t> rows;  // set for the .json, .csv and .html of a collection
};

struct ExportResult {
  std::string zip_path;
  std::string zip_sha256;  // of the ZIP file as written, for the audit trail
  std::uint64_t zip_size = 0;
  std::string password;  // empty unless encrypted; never stored by the writer
  std::vector<ExportedFile> files;  // as listed in manifest.json
  std::string manifest_sha256;
  std::uint64_t total_rows = 0;
};

class ExportWriter {
 public:
  // Validates the options, checks that <request_id>.zip does not exist yet and,
  // when encrypting, that libzip supports AES-256; creates the temporary directory.
  static Result<std::unique_ptr<ExportWriter>> open(ExportOptions options);

  // Any failed call below leaves the writer failed: later calls fail too, and the
  // temporary files are removed. Discard the writer and start again.

  // Starts a collection. Names: [A-Za-z0-9_][A-Za-z0-9_.-]{0,63}, without ".." and
  // not ending with '.';
  // each (dataset, collection) pair at most once, compared ignoring ASCII case so
  // the package unpacks on case-insensitive file systems. At least one column.
  Status begin_collection(const std::string& dataset, const std::string& collection,
                          std::vector<ExportColumn> columns);
  // Precondition: inside a collection and row.size() == columns.size().
  Status add_row(const Row& row);
  Status end_collection();

  // Writes index.html and manifest.json, zips, fsyncs and renames into place.
  // Fails if a collection is still open or the notice lacks required information
  // (including a DatasetNotice for every exported dataset). Once only.
  Result<ExportResult> finish(const ExportNotice& notice);

  // Without a successful finish(): removes all temporary files, leaves nothing behind.
  ~ExportWriter();

  ExportWriter(const ExportWriter&) = delete;
  ExportWriter& operator=(const ExportWriter&) = delete;

 private:
  class Impl;
  explicit ExportWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dsr
