#include "dsr/state/run_step_store.h"

#include <algorithm>

namespace dsr {

std::optional<RunStep> RunStepStore::find(const std::string& request_id, const std::string& step) {
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT step, status, row_count, detail FROM run_steps"
                                " WHERE request_id = :id AND step = :step",
       soci::use(request_id), soci::use(step));
  for (const auto& row : rows) {
    RunStep s;
    s.step = column_text(row, 0);
    s.done = column_text(row, 1) == "done";
    s.rows = static_cast<std::uint64_t>(column_int(row, 2));
    // detail holds the largest transaction as a bare number.
    const std::string largest = column_text(row, 3);
    s.largest_transaction = largest.empty() ? 0 : std::stoull(largest);
    return s;
  }
  return std::nullopt;
}

void RunStepStore::add_rows(const std::string& request_id, const std::string& step, std::uint64_t rows,
                            TimePoint at) {
  const std::string when = format_utc(at);
  auto current = find(request_id, step);
  if (!current) {
    const long long count = static_cast<long long>(rows);
    const std::string largest = std::to_string(rows);
    db_.session() << "INSERT INTO run_steps (request_id, step, status, row_count, started_at, detail)"
                     " VALUES (:id, :step, 'running', :rows, :at, :largest)",
        soci::use(request_id), soci::use(step), soci::use(count), soci::use(when), soci::use(largest);
    return;
  }
  const long long count = static_cast<long long>(current->rows + rows);
  const std::string largest = std::to_string(std::max(current->largest_transaction, rows));
  db_.session() << "UPDATE run_steps SET row_count = :rows, detail = :largest WHERE request_id = :id AND step = :step",
      soci::use(count), soci::use(largest), soci::use(request_id), soci::use(step);
}

void RunStepStore::finish(const std::string& request_id, const std::string& step,
                          std::optional<std::uint64_t> rows_override, TimePoint at) {
  if (!find(request_id, step)) add_rows(request_id, step, 0, at);
  const std::string when = format_utc(at);
  if (rows_override) {
    const long long count = static_cast<long long>(*rows_override);
    db_.session() << "UPDATE run_steps SET row_count = :rows WHERE request_id = :id AND step = :step",
        soci::use(count), soci::use(request_id), soci::use(step);
  }
  db_.session() << "UPDATE run_steps SET status = 'done', finished_at = :at WHERE request_id = :id AND step = :step",
      soci::use(when), soci::use(request_id), soci::use(step);
}

void RunStepStore::put_done(const std::vector<Done>& steps, TimePoint at) {
  if (steps.empty()) return;
  const std::string when = format_utc(at);
  std::string request_id, step;
  long long count = 0;
  // Prepared once for all steps; REPLACE (both engines) because a step may exist
  // from an earlier attempt.
  soci::statement replace =
      (db_.session().prepare << "REPLACE INTO run_steps (request_id, step, status, row_count, started_at, finished_at,"
                                " detail) VALUES (:id, :step, 'done', :rows, :at, :at2, '0')",
       soci::use(request_id), soci::use(step), soci::use(count), soci::use(when), soci::use(when));
  for (const auto& s : steps) {
    request_id = s.request_id;
    step = s.step;
    count = static_cast<long long>(s.rows);
    replace.execute(true);
  }
}

}  // namespace dsr
