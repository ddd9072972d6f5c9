#include "connectors/sql/sqlite_statement.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>

#include "dsr/common/crypto.h"

namespace dsr::sql {

using namespace sqlite_api;

sqlite3* native_sqlite(soci::session& session) {
  // static_cast: libsoci_sqlite3 does not export the backend's type_info.
  if (session.get_backend_name() != "sqlite3") throw std::logic_error("not an SQLite session");
  return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql) : db_(db) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
    raise();
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::raise() const { throw std::runtime_error(sqlite3_errmsg(db_)); }

int SqliteStatement::parameter(const std::string& name) const {
  const int index = sqlite3_bind_parameter_index(stmt_, (":" + name).c_str());
  if (index == 0) throw std::logic_error("statement has no parameter :" + name);
  return index;
}

void SqliteStatement::bind(const std::string& name, const BindValue& value) {
  if (const auto* number = std::get_if<long long>(&value)) {
    if (sqlite3_bind_int64(stmt_, parameter(name), *number) != SQLITE_OK) raise();
  } else {
    bind_text(name, std::get<std::string>(value));
  }
}

void SqliteStatement::bind_text(const std::string& name, const std::string& text) {
  if (sqlite3_bind_text(stmt_, parameter(name), text.data(), static_cast<int>(text.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    raise();
  }
}

void SqliteStatement::bind_value(const std::string& name, const Value& value) {
  int status = SQLITE_OK;
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    status = sqlite3_bind_int64(stmt_, parameter(name), *number);
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    status = sqlite3_bind_int64(stmt_, parameter(name), *flag ? 1 : 0);
  } else if (const auto* real = std::get_if<double>(&value)) {
    status = sqlite3_bind_double(stmt_, parameter(name), *real);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    bind_text(name, *text);
  } else {
    status = sqlite3_bind_null(stmt_, parameter(name));
  }
  if (status != SQLITE_OK) raise();
}

void SqliteStatement::reset() {
  // sqlite3_reset repeats the last step's error, which the caller has already seen.
  sqlite3_reset(stmt_);
}

std::uint64_t SqliteStatement::changes() const { return static_cast<std::uint64_t>(sqlite3_changes(db_)); }

bool SqliteStatement::step() {
  const int status = sqlite3_step(stmt_);
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  raise();
}

int SqliteStatement::column_count() const { return sqlite3_column_count(stmt_); }

Value SqliteStatement::column(int index) const {
  switch (sqlite3_column_type(stmt_, index)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, index));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt_, index);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
      return std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
      return to_hex(
          std::string_view(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index))));
    }
    default:
      return std::monostate{};
  }
}

}  // namespace dsr::sql
