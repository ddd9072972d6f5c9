#pragma once
// The engine-independent half of the sample store: the tables, and a generator that
// hands every row to a sink, which writes it to one engine.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "dsr/demo/sample_store.h"

namespace dsr::sample {

enum class Table : std::uint8_t {
  subscribers,
  opt_ins,
  consent_log,
  chats,
  messages,
  campaigns,
  link_clicks,
  orders,
  invoices
};
constexpr std::size_t kTableCount = 9;

struct ColumnDef {
  const char* name;
  const char* sqlite_type;
  const char* mysql_type;
};

struct IndexDef {
  const char* column;
  bool also_lowercase;  // the column is matched as LOWER(column) too
};

struct TableDef {
  Table table;
  const char* name;
  std::vector<ColumnDef> columns;  // the first is the primary key "id"
  std::vector<IndexDef> indexes;
};

// All tables, in creation order (the order of enum Table).
const std::vector<TableDef>& tables();

// One value of a row. Text points into storage that lives until the sink's add()
// returns. Times are seconds since the epoch, UTC; each engine writes them its way.
struct Cell {
  enum class Kind : std::uint8_t { null, integer, real, text, time };
  Kind kind = Kind::null;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;

  static Cell null() { return Cell{}; }
  static Cell of(std::int64_t v) { return Cell{Kind::integer, v, 0, {}}; }
  static Cell of_real(double v) { return Cell{Kind::real, 0, v, {}}; }
  static Cell of(std::string_view v) { return Cell{Kind::text, 0, 0, v}; }
  static Cell at(std::int64_t seconds) { return Cell{Kind::time, seconds, 0, {}}; }
};

class RowSink {
 public:
  virtual ~RowSink() = default;
  // One row of `table`, one cell per column of its TableDef. May throw to stop.
  virtual void add(Table table, const std::vector<Cell>& cells) = 0;
};

// Checks the options; the message names the option that is out of range.
Status check_options(const SampleOptions& options);

// Precondition: check_options(options). Emits every row; returns rows per table.
SampleCounts generate(const SampleOptions& options, RowSink& sink);

// "YYYY-MM-DDTHH:MM:SSZ" (sqlite) or "YYYY-MM-DD HH:MM:SS" (a MySQL DATETIME) into out[0..20).
void format_time(std::int64_t seconds, bool rfc3339, char* out);

}  // namespace dsr::sample
