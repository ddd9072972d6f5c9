#pragma once
// The names that end up in file and ZIP entry names. They are checked rather
// than escaped: a name that would need escaping is a configuration mistake.

#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr::export_names {

// [a-z0-9][a-z0-9-]{0,63}: lower-case UUIDs and similar ids. No leading '-', so
// the file name is never read as a command-line option.
Status check_request_id(std::string_view id);

// [A-Za-z0-9_][A-Za-z0-9_.-]{0,63} without ".." and not ending with '.'.
// `what` names the kind in the message.
Status check_path_name(std::string_view what, std::string_view name);

// "provided", "observed", "inferred" or "".
Status check_column_category(std::string_view category);

// "access" or "portability".
Status check_request_type(std::string_view type);

// Case-folded key for the duplicate check (ASCII only; the names are ASCII).
std::string collection_key(std::string_view dataset, std::string_view collection);

// "data/<dataset>/<collection>.<extension>", the entry name of a collection's file.
std::string data_path(std::string_view dataset, std::string_view collection, std::string_view extension);

}  // namespace dsr::export_names
