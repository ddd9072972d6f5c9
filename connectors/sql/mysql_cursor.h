#pragma once
// One chunk's rows from MySQL/MariaDB, page by page. SOCI's MySQL backend reads a
// whole result into memory (mysql_store_result), so each statement is limited to
// one page and the next page resumes after the last key read (keyset pagination):
// memory stays at one page however many rows match.

#include <soci/soci.h>

#include <memory>
#include <variant>
#include <vector>

#include "connectors/sql/cursor.h"
#include "connectors/sql/sql_connector.h"

namespace dsr::sql {

class MysqlCursor : public RowCursor {
 public:
  MysqlCursor(soci::session& session, const FetchPlan& plan, std::vector<BindValue> values,
              std::size_t page_rows);
  bool next() override;

 private:
  using KeyParam = std::variant<long long, double, std::string>;
  void load_page();

  soci::session& session_;
  SelectStatement statement_;
  std::vector<ColumnKind> kinds_;
  RowLayout layout_;
  std::vector<BindValue> values_;
  std::vector<KeyParam> key_params_;
  std::size_t page_rows_;
  std::unique_ptr<soci::rowset<soci::row>> page_;
  soci::rowset<soci::row>::const_iterator position_;
  std::size_t rows_in_page_ = 0;
  bool finished_ = false;
};

}  // namespace dsr::sql
