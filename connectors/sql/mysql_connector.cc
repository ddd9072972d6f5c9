#include "connectors/sql/mysql_connector.h"

#include <soci/mysql/soci-mysql.h>

#include <deque>
#include <map>

#include "connectors/sql/mysql_cursor.h"
#include "connectors/sql/row_values.h"

namespace dsr::sql {

namespace {

// A Value as SOCI binds it. SOCI's MySQL backend writes each bound value into the
// statement text, escaped, at every execute: a prepared statement is run again with
// new values by changing the bound variables.
struct Param {
  enum class Type { integer, real, text };
  Type type = Type::text;
  long long integer = 0;
  double real = 0;
  std::string text;
  soci::indicator indicator = soci::i_ok;

  void set(const Value& value) {
    indicator = soci::i_ok;
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
      type = Type::integer;
      integer = *number;
    } else if (const auto* flag = std::get_if<bool>(&value)) {
      type = Type::integer;
      integer = *flag ? 1 : 0;
    } else if (const auto* d = std::get_if<double>(&value)) {
      type = Type::real;
      real = *d;
    } else if (const auto* t = std::get_if<std::string>(&value)) {
      type = Type::text;
      text = *t;
    } else {
      indicator = soci::i_null;  // keeps the type it had: NULL binds as any
    }
  }

  void use(soci::details::prepare_temp_type& prepared, const std::string& name) {
    switch (type) {
      case Type::integer:
        prepared, soci::use(integer, indicator, name);
        break;
      case Type::real:
        prepared, soci::use(real, indicator, name);
        break;
      case Type::text:
        prepared, soci::use(text, indicator, name);
        break;
    }
  }
};

class MysqlWrite : public WriteStatement {
 public:
  MysqlWrite(soci::session& session, std::string sql) : session_(session), sql_(std::move(sql)) {}

  void bind(const std::string& name, const Value& value) override {
    auto [found, added] = index_.try_emplace(name, params_.size());
    if (added) params_.emplace_back();
    params_[found->second].set(value);
  }

  std::uint64_t execute() override {
    // The bindings fix each variable's type: a value of another type than before
    // (rare: columns have one type) needs the statement prepared again.
    std::vector<Param::Type> types;
    for (const Param& param : params_) types.push_back(param.type);
    if (!statement_ || types != types_) {
      statement_.reset();
      soci::details::prepare_temp_type prepared = (session_.prepare << sql_);
      for (const auto& [name, index] : index_) params_[index].use(prepared, name);
      statement_ = std::make_unique<soci::statement>(prepared);
      types_ = std::move(types);
    }
    statement_->execute(true);
    return static_cast<std::uint64_t>(statement_->get_affected_rows());
  }

 private:
  soci::session& session_;
  std::string sql_;
  std::deque<Param> params_;  // soci::use keeps references: elements must not move
  std::map<std::string, std::size_t> index_;
  std::vector<Param::Type> types_;
  std::unique_ptr<soci::statement> statement_;
};

}  // namespace

MysqlConnector::MysqlConnector(std::string name, std::string connection, SqlLimits limits)
    : SqlConnector(std::move(name), SqlEngine::mysql, limits), connection_(std::move(connection)) {}

void MysqlConnector::open(soci::session& session) {
  session.open(soci::mysql, connection_);
  // TIMESTAMP columns then read the same whatever the server's zone.
  session << "SET time_zone = '+00:00'";
}

std::optional<TableInfo> MysqlConnector::read_table(soci::session& session, const std::string& table) {
  std::string name = table;
  soci::rowset<soci::row> rows =
      (session.prepare << "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IFNULL(COLLATION_NAME, '')"
                          " FROM information_schema.COLUMNS"
                          " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION",
       soci::use(name, "t"));
  TableInfo info;
  for (const soci::row& row : rows) {
    info.columns.push_back({read_soci_text(row, 0), mysql_column_kind(read_soci_text(row, 1), read_soci_text(row, 2)),
                            read_soci_text(row, 3)});
  }
  if (info.columns.empty()) return std::nullopt;
  return info;
}

bool MysqlConnector::first_in_index(soci::session& session, const std::string& table,
                                    const std::string& column) {
  std::string table_name = table;
  std::string column_name = column;
  long long indexes = 0;
  session << "SELECT COUNT(*) FROM information_schema.STATISTICS"
             " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t AND COLUMN_NAME = :c AND SEQ_IN_INDEX = 1",
      soci::use(table_name, "t"), soci::use(column_name, "c"), soci::into(indexes);
  return indexes > 0;
}

std::uint64_t MysqlConnector::count_rows(soci::session& session, const std::string& sql,
                                         const std::vector<BindValue>& values) {
  std::vector<BindValue> bound = values;  // soci::use binds non-const references
  long long total = 0;
  soci::details::prepare_temp_type prepared = (session.prepare << sql);
  for (std::size_t i = 0; i < bound.size(); ++i) {
    std::visit([&](auto& value) { prepared, soci::use(value, value_name(i)); }, bound[i]);
  }
  prepared, soci::into(total);
  soci::statement statement(prepared);
  statement.execute(true);
  return static_cast<std::uint64_t>(total);
}

std::unique_ptr<RowCursor> MysqlConnector::open_cursor(soci::session& session, const FetchPlan& plan,
                                                       std::vector<BindValue> values, std::size_t page_rows) {
  return std::make_unique<MysqlCursor>(session, plan, std::move(values), page_rows);
}

bool MysqlConnector::connection_lost(const std::exception& error) const {
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error);
  return soci_error && soci_error->get_error_category() == soci::soci_error::connection_error;
}

void MysqlConnector::begin_write(soci::session& session) { session << "START TRANSACTION"; }
void MysqlConnector::commit_write(soci::session& session) { session << "COMMIT"; }
void MysqlConnector::rollback_write(soci::session& session) { session << "ROLLBACK"; }

std::vector<KeyedRow> MysqlConnector::read_for_write(soci::session& session, const FetchPlan& plan,
                                                     const std::vector<BindValue>& values, const Row* after,
                                                     std::size_t limit, bool lock) {
  SelectStatement select = plan.statement;
  select.value_count = values.size();
  select.after_key = after != nullptr;
  select.limit = limit;
  // FOR UPDATE: the values an update is computed from cannot change before it is written.
  const std::string sql = select_sql(select) + (lock ? " FOR UPDATE" : "");
  std::vector<BindValue> bound = values;  // soci::use binds non-const references
  std::deque<Param> keys;
  soci::details::prepare_temp_type prepared = (session.prepare << sql);
  for (std::size_t i = 0; i < bound.size(); ++i) {
    std::visit([&](auto& value) { prepared, soci::use(value, value_name(i)); }, bound[i]);
  }
  if (after) {
    for (std::size_t i = 0; i < after->size(); ++i) {
      keys.emplace_back().set((*after)[i]);
      keys.back().use(prepared, key_name(i));
    }
  }
  soci::rowset<soci::row> result(prepared);
  std::vector<KeyedRow> rows;
  for (const soci::row& current : result) {
    KeyedRow& row = rows.emplace_back();
    for (std::size_t i = 0; i < plan.layout.field_count; ++i)
      row.fields.push_back(read_soci_value(current, i, plan.kinds[i]));
    for (std::size_t column : plan.layout.key_columns)
      row.key.push_back(read_soci_value(current, column, plan.kinds[column]));
  }
  return rows;
}

std::unique_ptr<WriteStatement> MysqlConnector::prepare_write(soci::session& session, const std::string& sql) {
  return std::make_unique<MysqlWrite>(session, sql);
}

}  // namespace dsr::sql
