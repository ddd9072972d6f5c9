#include "connectors/sql/mysql_cursor.h"

#include <algorithm>
#include <stdexcept>

#include "connectors/sql/key_order.h"
#include "connectors/sql/row_values.h"

namespace dsr::sql {

MysqlCursor::MysqlCursor(soci::session& session, const FetchPlan& plan, std::vector<BindValue> values,
                         std::size_t page_rows)
    : session_(session),
      statement_(plan.statement),
      kinds_(plan.kinds),
      layout_(plan.layout),
      values_(std::move(values)),
      page_rows_(std::max<std::size_t>(page_rows, 1)) {
  statement_.value_count = values_.size();
  statement_.limit = page_rows_;
  statement_.after_key = false;
}

void MysqlCursor::load_page() {
  // The rowset keeps references to the bound variables: values_ and key_params_
  // stay unchanged while it lives.
  soci::details::prepare_temp_type prepared = (session_.prepare << select_sql(statement_));
  for (std::size_t i = 0; i < values_.size(); ++i) {
    std::visit([&](auto& value) { prepared, soci::use(value, value_name(i)); }, values_[i]);
  }
  if (statement_.after_key) {
    for (std::size_t i = 0; i < key_params_.size(); ++i) {
      std::visit([&](auto& value) { prepared, soci::use(value, key_name(i)); }, key_params_[i]);
    }
  }
  page_ = std::make_unique<soci::rowset<soci::row>>(prepared);
  position_ = page_->begin();
  rows_in_page_ = 0;
}

bool MysqlCursor::next() {
  while (!finished_) {
    if (!page_) load_page();
    if (position_ != page_->end()) {
      const soci::row& current = *position_;
      row_.resize(layout_.field_count);
      for (std::size_t i = 0; i < layout_.field_count; ++i) row_[i] = read_soci_value(current, i, kinds_[i]);
      key_.resize(layout_.key_columns.size());
      for (std::size_t i = 0; i < layout_.key_columns.size(); ++i) {
        const std::size_t column = layout_.key_columns[i];
        key_[i] = read_soci_value(current, column, kinds_[column]);
      }
      ++rows_in_page_;
      ++position_;
      return true;
    }
    // A short page is the last one.
    if (rows_in_page_ < page_rows_) {
      finished_ = true;
      break;
    }
    if (has_null(key_))
      throw std::runtime_error("a primary key column holds NULL; rows cannot be paged by key");
    page_.reset();
    key_params_.clear();
    for (const Value& part : key_) {
      if (const auto* number = std::get_if<std::int64_t>(&part)) {
        key_params_.emplace_back(static_cast<long long>(*number));
      } else if (const auto* real = std::get_if<double>(&part)) {
        key_params_.emplace_back(*real);
      } else if (const auto* flag = std::get_if<bool>(&part)) {
        key_params_.emplace_back(static_cast<long long>(*flag));
      } else {
        key_params_.emplace_back(std::get<std::string>(part));
      }
    }
    statement_.after_key = true;
  }
  page_.reset();
  return false;
}

}  // namespace dsr::sql
