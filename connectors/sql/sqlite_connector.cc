#include "connectors/sql/sqlite_connector.h"

#include <Poco/File.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <stdexcept>

#include "connectors/sql/dialect.h"
#include "connectors/sql/sqlite_cursor.h"
#include "connectors/sql/sqlite_statement.h"
#include "dsr/common/text.h"

namespace dsr::sql {

namespace {

void run(soci::session& session, const char* sql) {
  SqliteStatement statement(native_sqlite(session), sql);
  statement.step();
}

class SqliteWrite : public WriteStatement {
 public:
  SqliteWrite(sqlite_api::sqlite3* db, const std::string& sql) : statement_(db, sql) {}
  void bind(const std::string& name, const Value& value) override { statement_.bind_value(name, value); }
  std::uint64_t execute() override {
    // Reset whatever happens: SQLite refuses new bindings on a statement that ran.
    struct Reset {
      SqliteStatement& statement;
      ~Reset() { statement.reset(); }
    } reset{statement_};
    statement_.step();
    return statement_.changes();
  }

 private:
  SqliteStatement statement_;
};

std::int64_t integer_at(const SqliteStatement& statement, int index) {
  const Value value = statement.column(index);
  const auto* number = std::get_if<std::int64_t>(&value);
  return number ? *number : 0;
}

}  // namespace

SqliteConnector::SqliteConnector(std::string name, std::string path, SqlLimits limits)
    : SqlConnector(std::move(name), SqlEngine::sqlite, limits), path_(std::move(path)) {}

void SqliteConnector::open(soci::session& session) {
  // SOCI 4.0 has no "open, but do not create": a file that is not there would be
  // created empty, and every table would then be "missing".
  const Poco::File file(path_);
  if (!file.exists()) throw std::runtime_error(path_ + ": no such file (dsr never creates a store)");
  if (!file.isFile()) throw std::runtime_error(path_ + ": not a file");
  if (path_.find('"') != std::string::npos)
    throw std::runtime_error(path_ + ": '\"' in the path is not supported");
  // timeout: seconds to wait while the application holds a write lock.
  session.open(soci::sqlite3, "db=\"" + path_ + "\" timeout=10");
  // Opening is lazy in SQLite; reading the schema shows now whether this is a database.
  SqliteStatement probe(native_sqlite(session), "SELECT COUNT(*) FROM sqlite_master");
  probe.step();
  // SQLite enforces foreign keys per connection and only when asked, while the
  // application that owns the file usually asks. Erasure must meet the same
  // constraints (and ON DELETE actions) as the application, and as MySQL does. As
  // PRAGMA foreign_keys = ON, without a statement to parse.
  if (sqlite_api::sqlite3_db_config(native_sqlite(session), SQLITE_DBCONFIG_ENABLE_FKEY, 1, nullptr) != SQLITE_OK) {
    throw std::runtime_error(path_ + ": cannot turn on foreign key enforcement");
  }
}

std::optional<TableInfo> SqliteConnector::read_table(soci::session& session, const std::string& table) {
  // The PRAGMA itself, not the pragma_table_info() function: that one prepares this
  // PRAGMA anyway, after its own SELECT, so a check of n tables parsed 2n statements.
  // A PRAGMA takes no parameters; the name is an identifier (SqlConnector::table
  // checked it), quoted like every other.
  SqliteStatement statement(native_sqlite(session),
                            "PRAGMA table_info(" + quote_identifier(SqlEngine::sqlite, table) + ")");
  TableInfo info;
  while (statement.step()) {
    const Value name = statement.column(1);  // cid, name, type, notnull, dflt_value, pk
    if (const auto* text = std::get_if<std::string>(&name))
      info.columns.push_back({*text, ColumnKind::dynamic, ""});
  }
  if (info.columns.empty()) return std::nullopt;
  return info;
}

bool SqliteConnector::first_in_index(soci::session& session, const std::string& table,
                                     const std::string& column) {
  sqlite_api::sqlite3* db = native_sqlite(session);
  // An INTEGER PRIMARY KEY is the rowid itself and has no index of its own.
  SqliteStatement keys(db, "SELECT name, upper(type) FROM pragma_table_info(:t) WHERE pk > 0");
  keys.bind_text("t", table);
  int key_columns = 0;
  bool rowid_alias = false;
  while (keys.step()) {
    ++key_columns;
    const Value name = keys.column(0);
    const Value type = keys.column(1);
    rowid_alias = std::holds_alternative<std::string>(name) &&
                  to_lower_ascii(std::get<std::string>(name)) == to_lower_ascii(column) &&
                  type == Value(std::string("INTEGER"));
  }
  if (key_columns == 1 && rowid_alias) return true;
  // A partial index answers only some queries; it does not count.
  SqliteStatement indexes(db,
                          "SELECT COUNT(*) FROM pragma_index_list(:t) AS il, pragma_index_info(il.name) AS ii"
                          " WHERE il.partial = 0 AND ii.seqno = 0 AND ii.name = :c COLLATE NOCASE");
  indexes.bind_text("t", table);
  indexes.bind_text("c", column);
  return indexes.step() && integer_at(indexes, 0) > 0;
}

std::uint64_t SqliteConnector::count_rows(soci::session& session, const std::string& sql,
                                          const std::vector<BindValue>& values) {
  SqliteStatement statement(native_sqlite(session), sql);
  for (std::size_t i = 0; i < values.size(); ++i) statement.bind(value_name(i), values[i]);
  if (!statement.step()) return 0;
  return static_cast<std::uint64_t>(integer_at(statement, 0));
}

std::unique_ptr<RowCursor> SqliteConnector::open_cursor(soci::session& session, const FetchPlan& plan,
                                                        std::vector<BindValue> values, std::size_t) {
  SelectStatement statement = plan.statement;
  statement.value_count = values.size();
  return std::make_unique<SqliteCursor>(native_sqlite(session), select_sql(statement), values, plan.layout);
}

// IMMEDIATE takes the write lock at once, waiting up to the busy timeout set at
// open for the application's writers; a deferred BEGIN would read first and could
// then fail to upgrade its lock without waiting.
void SqliteConnector::begin_write(soci::session& session) { run(session, "BEGIN IMMEDIATE"); }
void SqliteConnector::commit_write(soci::session& session) { run(session, "COMMIT"); }
void SqliteConnector::rollback_write(soci::session& session) { run(session, "ROLLBACK"); }

std::vector<KeyedRow> SqliteConnector::read_for_write(soci::session& session, const FetchPlan& plan,
                                                      const std::vector<BindValue>& values, const Row* after,
                                                      std::size_t limit, bool) {
  SelectStatement select = plan.statement;
  select.value_count = values.size();
  select.after_key = after != nullptr;
  select.limit = limit;
  SqliteStatement statement(native_sqlite(session), select_sql(select));
  for (std::size_t i = 0; i < values.size(); ++i) statement.bind(value_name(i), values[i]);
  if (after) {
    for (std::size_t i = 0; i < after->size(); ++i) statement.bind_value(key_name(i), (*after)[i]);
  }
  std::vector<KeyedRow> rows;
  while (statement.step()) {
    KeyedRow& row = rows.emplace_back();
    for (std::size_t i = 0; i < plan.layout.field_count; ++i) row.fields.push_back(statement.column(static_cast<int>(i)));
    for (std::size_t column : plan.layout.key_columns) row.key.push_back(statement.column(static_cast<int>(column)));
  }
  return rows;
}

std::unique_ptr<WriteStatement> SqliteConnector::prepare_write(soci::session& session, const std::string& sql) {
  return std::make_unique<SqliteWrite>(native_sqlite(session), sql);
}

}  // namespace dsr::sql
