#include "tests/erasure_golden/fixture_tables.h"

#include <stdexcept>

namespace dsr::erasure_golden {

namespace {

std::vector<std::string> table_names(Database& db) {
  std::vector<std::string> names;
  const std::string sql =
      db.engine() == StoreEngine::sqlite
          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
          : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name";
  soci::rowset<soci::row> rows = db.session().prepare << sql;
  for (const auto& row : rows) names.push_back(column_text(row, 0));
  return names;
}

std::vector<std::string> column_names(Database& db, const std::string& table) {
  std::vector<std::string> names;
  if (db.engine() == StoreEngine::sqlite) {
    soci::rowset<soci::row> rows = db.session().prepare << "PRAGMA table_info(\"" + table + "\")";
    for (const auto& row : rows) names.push_back(column_text(row, 1));
  } else {
    soci::rowset<soci::row> rows =
        (db.session().prepare << "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE()"
                                 " AND table_name = :t ORDER BY ordinal_position",
         soci::use(table));
    for (const auto& row : rows) names.push_back(column_text(row, 0));
  }
  return names;
}

std::string quoted_name(Database& db, const std::string& name) {
  return db.engine() == StoreEngine::sqlite ? "\"" + name + "\"" : "`" + name + "`";
}

}  // namespace

void add_tables(Database& db, StoreSnapshot& snapshot) {
  const bool sqlite = db.engine() == StoreEngine::sqlite;
  for (const auto& table : table_names(db)) {
    if (snapshot.count(table)) throw std::runtime_error("table " + table + " is in two stores; name it uniquely");
    TableRows& rows = snapshot[table];
    rows.columns = column_names(db, table);
    std::string sql = "SELECT CAST(" + quoted_name(db, rows.columns.front()) + (sqlite ? " AS TEXT)" : " AS CHAR)");
    for (const auto& column : rows.columns) sql += std::string(sqlite ? ", quote(" : ", QUOTE(") + quoted_name(db, column) + ")";
    sql += " FROM " + quoted_name(db, table);
    soci::rowset<soci::row> result = db.session().prepare << sql;
    for (const auto& row : result) {
      std::vector<std::string> literals;
      // MariaDB's QUOTE(NULL) is the word NULL; SQLite's quote(NULL) is the text NULL.
      for (std::size_t i = 1; i < row.size(); ++i) literals.push_back(column_is_null(row, i) ? "NULL" : column_text(row, i));
      const std::string key = column_is_null(row, 0) ? "NULL" : column_text(row, 0);
      if (!rows.rows.emplace(key, std::move(literals)).second) {
        throw std::runtime_error("table " + table + ": first column value " + key + " is not unique");
      }
    }
  }
}

std::string sql_literal(Database& db, const std::optional<std::string>& value) {
  if (!value) return "NULL";
  std::string literal;
  db.session() << (db.engine() == StoreEngine::sqlite ? "SELECT quote(:v)" : "SELECT QUOTE(:v)"), soci::use(*value),
      soci::into(literal);
  return literal;
}

std::vector<std::string> differences(const StoreSnapshot& expected, const StoreSnapshot& actual) {
  std::vector<std::string> out;
  for (const auto& [table, want] : expected) {
    const auto found = actual.find(table);
    if (found == actual.end()) {
      out.push_back("table " + table + " is gone");
      continue;
    }
    const TableRows& got = found->second;
    if (got.columns != want.columns) {
      out.push_back("table " + table + ": its columns changed");
      continue;
    }
    for (const auto& [key, literals] : want.rows) {
      const auto row = got.rows.find(key);
      if (row == got.rows.end()) {
        out.push_back(table + " row " + key + ": deleted, but should be there");
        continue;
      }
      for (std::size_t i = 0; i < literals.size(); ++i) {
        if (row->second[i] != literals[i]) {
          out.push_back(table + " row " + key + " column " + want.columns[i] + ": expected " + literals[i] + ", got " +
                        row->second[i]);
        }
      }
    }
    for (const auto& [key, literals] : got.rows) {
      if (!want.rows.count(key)) out.push_back(table + " row " + key + ": still there, but should be gone");
    }
  }
  for (const auto& [table, rows] : actual) {
    if (!expected.count(table)) out.push_back("table " + table + " appeared");
  }
  return out;
}

}  // namespace dsr::erasure_golden
