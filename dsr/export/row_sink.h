#pragma once
// One output file of a collection (CSV, JSON or HTML), fed one row at a time.

#include "dsr/common/result.h"
#include "dsr/common/value.h"
#include "dsr/export/hashing_file.h"

namespace dsr {

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Precondition: row.size() is the number of columns the sink was created with.
  virtual Status add_row(const Row& row) = 0;
  // Writes the closing part and closes the file (see HashingFile::close).
  virtual Result<WrittenFile> finish() = 0;
};

}  // namespace dsr
