#pragma once
// Rows of run_steps: what the attempts at one request have done so far, so that a
// rerun after a crash skips finished steps and its certificate counts what earlier
// attempts erased. Plain data access; inside Database::in_transaction() or read().

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct RunStep {
  std::string step;  // e.g. "erase:marketing.messages"
  bool done = false;
  std::uint64_t rows = 0;
  std::uint64_t largest_transaction = 0;
};

class RunStepStore {
 public:
  explicit RunStepStore(Database& db) : db_(db) {}

  std::optional<RunStep> find(const std::string& request_id, const std::string& step);
  // Adds rows to a step (creating it), keeping the largest single transaction.
  void add_rows(const std::string& request_id, const std::string& step, std::uint64_t rows, TimePoint at);
  struct Done {
    std::string request_id;
    std::string step;
    std::uint64_t rows = 0;
  };
  // Writes each step as done with its rows, replacing what the step held before.
  void put_done(const std::vector<Done>& steps, TimePoint at);
  // Marks a step done; rows_override replaces its count when set (a count-only step).
  void finish(const std::string& request_id, const std::string& step, std::optional<std::uint64_t> rows_override,
              TimePoint at);

 private:
  Database& db_;
};

}  // namespace dsr
