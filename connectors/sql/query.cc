#include "connectors/sql/query.h"

namespace dsr::sql {

namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += ", ";
    out += part;
  }
  return out;
}

std::string where_in(const MatchExpression& match, std::size_t value_count) {
  std::string out = " WHERE ";
  if (!match.prefilter.empty()) {
    out += match.prefilter + " IN (";
    for (std::size_t i = 0; i < value_count; ++i) {
      if (i > 0) out += ", ";
      out += param_expression(ParamForm::plain, value_name(i));
    }
    out += ") AND ";
  }
  out += match.left + " IN (";
  for (std::size_t i = 0; i < value_count; ++i) {
    if (i > 0) out += ", ";
    out += param_expression(match.form, value_name(i));
  }
  return out + ")";
}

}  // namespace

std::string value_name(std::size_t index) { return "v" + std::to_string(index); }
std::string key_name(std::size_t index) { return "k" + std::to_string(index); }

std::string select_sql(const SelectStatement& statement) {
  std::string sql = "SELECT " + joined(statement.columns) + " FROM " + statement.table +
                    where_in(statement.match, statement.value_count);
  if (statement.after_key && !statement.key_order.empty()) {
    std::vector<std::string> params;
    for (std::size_t i = 0; i < statement.key_forms.size(); ++i) {
      params.push_back(param_expression(statement.key_forms[i], key_name(i)));
    }
    // A row-value comparison, which SQLite (3.15+) and MySQL/MariaDB both support;
    // a single column needs no parentheses.
    if (statement.key_order.size() == 1) {
      sql += " AND " + statement.key_order.front() + " > " + params.front();
    } else {
      sql += " AND (" + joined(statement.key_order) + ") > (" + joined(params) + ")";
    }
  }
  if (!statement.key_order.empty()) sql += " ORDER BY " + joined(statement.key_order);
  if (statement.limit) sql += " LIMIT " + std::to_string(*statement.limit);
  return sql;
}

std::string count_sql(const std::string& table, const MatchExpression& match, std::size_t value_count) {
  return "SELECT COUNT(*) FROM " + table + where_in(match, value_count);
}

}  // namespace dsr::sql
