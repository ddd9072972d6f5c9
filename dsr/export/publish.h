#pragma once
// Moving a finished file to its final name so that the name only ever refers to
// complete content: the data is made durable first, the rename is atomic, and
// the directory entry is made durable after.

#include <string>

#include "dsr/common/result.h"

namespace dsr {

// Sets `from` to mode 0600 (it holds personal data), fsyncs it, renames it to
// `to` (same file system) failing if `to` exists, then fsyncs `to`'s directory.
// If that last fsync fails, `to` is removed again so failure leaves no file.
Status publish_file(const std::string& from, const std::string& to);

}  // namespace dsr
