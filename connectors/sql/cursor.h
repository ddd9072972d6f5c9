#pragma once
// Rows of one chunk, in key order, and the merge of several chunks into one stream
// in key order, so that a step's rows arrive sorted however many chunks it took.

#include <cstddef>
#include <memory>
#include <vector>

#include "connectors/core/connector.h"

namespace dsr::sql {

// Where a statement's select list puts a step's fields and its key columns.
struct RowLayout {
  std::size_t field_count = 0;           // columns 0..field_count-1 are the Row
  std::vector<std::size_t> key_columns;  // select-list index of each key column
};

// Driver failures are thrown (std::exception); SqlConnector turns them into Errors.
class RowCursor {
 public:
  virtual ~RowCursor() = default;
  // Moves to the next row; false when there is none.
  virtual bool next() = 0;
  // The current row and its primary key. Valid after next() returned true.
  const Row& row() const { return row_; }
  const Row& key() const { return key_; }

 protected:
  Row row_;
  Row key_;
};

// Visits the rows of all cursors in compare_keys() order. A row that a second
// chunk finds again (same key, another cursor) is visited once. Stops at the first
// error from visit and returns it.
Status merge_rows(const std::vector<std::unique_ptr<RowCursor>>& cursors, const RowVisitor& visit);

}  // namespace dsr::sql
