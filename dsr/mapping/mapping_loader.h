#pragma once
// Loading dataset mapping files. A mapping is checked in two passes: first against
// schemas/dataset.schema.json (shapes, names, enums), then, when that passed, for
// what a schema cannot say:
//   - the connector is one of MappingContext::connector_names;
//   - every "identity" is one of MappingContext::identity_kinds;
//   - collection names are unique in the dataset, field names in their collection
//     (also when they differ only in letter case: most stores would not tell them apart);
//   - primary_key names fields of its collection, and no primary key field has a mask;
//   - "references" reads "collection.field" and names an existing field
//     (a field of its own collection is fine, and so are cycles);
//   - "match": "lowercase" is used only on text fields;
//   - an erasure action "mask" or "retain" has at least one field with a mask to apply;
//   - every collection is reachable: it has an identity field, or references connect
//     it (in either direction) to a collection that is; unless "skip_unreachable".
//
// Errors are one line per problem, all problems in one Error, lines joined by '\n':
//   "<file>: <JSON pointer>: <what is wrong>"
// e.g. "marketing.json: /collections/1/fields/1/references: unknown collection 'subscriber'".
// Lines are ordered by pointer (array indexes numerically). Text from the file is
// quoted with control characters escaped, so every problem stays on its line.
//
// Thread safety: the functions keep no state and may run concurrently.

#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/mapping/mapping.h"

namespace dsr {

// What mappings may name, taken from the configuration.
struct MappingContext {
  std::vector<std::string> identity_kinds;   // built-in and custom kinds
  std::vector<std::string> connector_names;  // the config's connectors
};

// Parses and checks one mapping given as text. `file_name` is used in error
// messages and stored in DatasetMapping::file; nothing is read from disk.
// Absent optional keys take the defaults documented in mapping.h and the schema
// (match exact, stored_as text, category none, erasure delete).
Result<DatasetMapping> parse_mapping(std::string_view json_text, const std::string& file_name,
                                     const MappingContext& context);

// Reads `path` and parses it as parse_mapping does; messages name `path` as given.
Result<DatasetMapping> load_mapping_file(const std::string& path, const MappingContext& context);

// Loads every file; also checks that dataset names are unique across the files
// (again ignoring letter case, as dataset names become folder names). Succeeds only
// when every file does; otherwise the error holds the lines of all files, in the
// order of `paths`. The result is in the order of `paths`.
Result<std::vector<DatasetMapping>> load_mappings(const std::vector<std::string>& paths,
                                                  const MappingContext& context);

}  // namespace dsr
