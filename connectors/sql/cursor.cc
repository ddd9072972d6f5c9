#include "connectors/sql/cursor.h"

#include <queue>

#include "connectors/sql/key_order.h"

namespace dsr::sql {

Status merge_rows(const std::vector<std::unique_ptr<RowCursor>>& cursors, const RowVisitor& visit) {
  // Ties go to the lower cursor index, which keeps the output deterministic.
  const auto later = [&cursors](std::size_t a, std::size_t b) {
    const int c = compare_keys(cursors[a]->key(), cursors[b]->key());
    return c != 0 ? c > 0 : a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
  for (std::size_t i = 0; i < cursors.size(); ++i) {
    if (cursors[i]->next()) heads.push(i);
  }
  Row last_key;
  std::size_t last_cursor = 0;
  bool any = false;
  while (!heads.empty()) {
    const std::size_t i = heads.top();
    heads.pop();
    RowCursor& cursor = *cursors[i];
    // Within one cursor equal keys are distinct rows (a view, or SQLite's NULL keys);
    // across cursors they are the same row matched by two values.
    const bool seen =
        any && i != last_cursor && !has_null(cursor.key()) && compare_keys(cursor.key(), last_key) == 0;
    if (!seen) {
      if (Status s = visit(cursor.row()); !s) return s;
      last_key = cursor.key();
      last_cursor = i;
      any = true;
    }
    if (cursor.next()) heads.push(i);
  }
  return Status::Ok();
}

}  // namespace dsr::sql
