#include "dsr/demo/sample_store.h"

#include <fcntl.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "dsr/demo/sample_rows.h"

namespace dsr {

namespace {

using sample::Cell;
using sample::Table;
using sample::TableDef;

std::string index_name(const TableDef& def, const sample::IndexDef& index, bool lowercase) {
  return std::string("ix_") + def.name + "_" + index.column + (lowercase ? "_lower" : "");
}

// ---------------------------------------------------------------- SQLite

class SqliteWriter : public sample::RowSink {
 public:
  explicit SqliteWriter(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "cannot open";
      sqlite3_close(db_);
      db_ = nullptr;
      throw std::runtime_error(message);
    }
    // Only for this one-off bulk load into a new file: without a journal and syncs a
    // crash leaves a broken file, which the caller removes anyway on any failure.
    exec(
        "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
        " PRAGMA temp_store=MEMORY; BEGIN");
    for (const TableDef& def : sample::tables()) {
      std::string create = std::string("CREATE TABLE \"") + def.name + "\" (";
      std::string insert = std::string("INSERT INTO \"") + def.name + "\" VALUES (";
      for (std::size_t c = 0; c < def.columns.size(); ++c) {
        create += (c ? ", \"" : "\"") + std::string(def.columns[c].name) + "\" " + def.columns[c].sqlite_type;
        insert += c ? ", ?" : "?";
      }
      exec(create + ")");
      sqlite3_stmt* statement = nullptr;
      check(sqlite3_prepare_v2(db_, (insert + ")").c_str(), -1, &statement, nullptr));
      inserts_[static_cast<std::size_t>(def.table)] = statement;
    }
  }

  ~SqliteWriter() override {
    for (sqlite3_stmt* statement : inserts_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  void add(Table table, const std::vector<Cell>& cells) override {
    sqlite3_stmt* statement = inserts_[static_cast<std::size_t>(table)];
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const Cell& cell = cells[c];
      const int at = static_cast<int>(c) + 1;
      switch (cell.kind) {
        case Cell::Kind::null:
          sqlite3_bind_null(statement, at);
          break;
        case Cell::Kind::integer:
          sqlite3_bind_int64(statement, at, cell.integer);
          break;
        case Cell::Kind::real:
          sqlite3_bind_double(statement, at, cell.real);
          break;
        case Cell::Kind::text:
          // The text outlives the step below: SQLITE_STATIC spares a copy.
          sqlite3_bind_text(statement, at, cell.text.data(), static_cast<int>(cell.text.size()),
                            SQLITE_STATIC);
          break;
        case Cell::Kind::time: {
          char text[20];
          sample::format_time(cell.integer, true, text);
          sqlite3_bind_text(statement, at, text, 20, SQLITE_TRANSIENT);
          break;
        }
      }
    }
    if (sqlite3_step(statement) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(statement);
  }

  // Indexes after the rows: one sorted build per index instead of millions of inserts.
  void finish() {
    for (const TableDef& def : sample::tables()) {
      for (const sample::IndexDef& index : def.indexes) {
        exec("CREATE INDEX \"" + index_name(def, index, false) + "\" ON \"" + def.name + "\" (\"" +
             index.column + "\")");
        // Matches with "match": "lowercase" compare LOWER(column); only an index on
        // that expression serves them.
        if (index.also_lowercase) {
          exec("CREATE INDEX \"" + index_name(def, index, true) + "\" ON \"" + def.name + "\" (lower(\"" +
               index.column + "\"))");
        }
      }
    }
    // Statistics let the planner prefer a selective index over walking the primary
    // key in ORDER BY order; a sampled ANALYZE is enough for that.
    exec("PRAGMA analysis_limit=1000; ANALYZE; COMMIT");
  }

 private:
  void check(int code) {
    if (code != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db_));
  }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "statement failed";
      sqlite3_free(error);
      throw std::runtime_error(message);
    }
  }

  sqlite3* db_ = nullptr;
  std::array<sqlite3_stmt*, sample::kTableCount> inserts_{};
};

// ---------------------------------------------------------------- MySQL

// Rows travel as multi-row INSERT statements of about a megabyte: one round trip
// and one parse per few thousand rows. Building SQL text is safe here because every
// value is made by sample_rows.cc from integers and literal word lists, never from
// input, and text is escaped by the client library all the same.
class MysqlWriter : public sample::RowSink {
 public:
  explicit MysqlWriter(MYSQL* connection) : connection_(connection) {}

  // Fails on the first table that exists; tables made before it are in created_.
  void create_tables() {
    if (mysql_set_character_set(connection_, "utf8mb4") != 0) fail_with("setting the character set");
    for (const TableDef& def : sample::tables()) {
      std::string create = std::string("CREATE TABLE `") + def.name + "` (";
      std::string& insert = prefixes_[static_cast<std::size_t>(def.table)];
      insert = std::string("INSERT INTO `") + def.name + "` VALUES ";
      for (std::size_t c = 0; c < def.columns.size(); ++c) {
        create += (c ? ", `" : "`") + std::string(def.columns[c].name) + "` " + def.columns[c].mysql_type;
      }
      run(create + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
          std::string("creating table ") + def.name);
      created_.push_back(def.name);
    }
  }

  // Drops the tables made so far; for a failure, where they are only half filled.
  void drop_created() noexcept {
    for (const std::string& name : created_) {
      const std::string sql = "DROP TABLE IF EXISTS `" + name + "`";
      mysql_real_query(connection_, sql.data(), sql.size());
    }
  }

  void add(Table table, const std::vector<Cell>& cells) override {
    const auto t = static_cast<std::size_t>(table);
    std::string& out = pending_[t];
    out += out.empty() ? prefixes_[t] + "(" : ",(";
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c) out += ',';
      const Cell& cell = cells[c];
      switch (cell.kind) {
        case Cell::Kind::null:
          out += "NULL";
          break;
        case Cell::Kind::integer:
          append_number(out, cell.integer);
          break;
        case Cell::Kind::real:
          append_number(out, cell.real);
          break;
        case Cell::Kind::text: {
          escaped_.resize(cell.text.size() * 2 + 1);
          const unsigned long length =
              mysql_real_escape_string(connection_, escaped_.data(), cell.text.data(), cell.text.size());
          ((out += '\'').append(escaped_.data(), length)) += '\'';
          break;
        }
        case Cell::Kind::time: {
          char text[20];
          sample::format_time(cell.integer, false, text);
          ((out += '\'').append(text, 19)) += '\'';
          break;
        }
      }
    }
    out += ')';
    // Well below the server's default max_allowed_packet (16 MB).
    if (out.size() >= (1U << 20)) flush(t);
  }

  // Indexes after the rows, all of a table's in one ALTER: one sorted build each.
  void finish() {
    for (std::size_t t = 0; t < pending_.size(); ++t) flush(t);
    for (const TableDef& def : sample::tables()) {
      if (def.indexes.empty()) continue;
      std::string alter = std::string("ALTER TABLE `") + def.name + "` ";
      for (std::size_t i = 0; i < def.indexes.size(); ++i) {
        // MariaDB has no index on LOWER(column); a "lowercase" match scans this table there.
        alter += (i ? ", ADD INDEX `" : "ADD INDEX `") + index_name(def, def.indexes[i], false) + "` (`" +
                 def.indexes[i].column + "`)";
      }
      run(alter, std::string("indexing table ") + def.name);
    }
    for (const TableDef& def : sample::tables()) {
      run(std::string("ANALYZE TABLE `") + def.name + "`", std::string("analysing table ") + def.name);
    }
  }

 private:
  template <typename Number>
  static void append_number(std::string& out, Number value) {
    char text[32];
    // Shortest text that reads back as the same value, so both engines hold equal doubles.
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    out.append(text, static_cast<std::size_t>(end - text));
  }

  void flush(std::size_t t) {
    if (pending_[t].empty()) return;
    run(pending_[t], std::string("inserting into ") + sample::tables()[t].name);
    pending_[t].clear();
  }

  // `what` names the step in a failure; the statement itself is not repeated.
  void run(const std::string& sql, const std::string& what) {
    if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) fail_with(what);
    // ANALYZE answers with a result set; it must be read before the next statement.
    do {
      if (MYSQL_RES* result = mysql_store_result(connection_)) mysql_free_result(result);
    } while (mysql_next_result(connection_) == 0);
  }

  [[noreturn]] void fail_with(const std::string& what) {
    throw std::runtime_error(what + ": " + mysql_error(connection_));
  }

  MYSQL* connection_;
  std::array<std::string, sample::kTableCount> prefixes_;
  std::array<std::string, sample::kTableCount> pending_;
  std::vector<std::string> created_;
  std::vector<char> escaped_;
};

}  // namespace

SampleCounts known_subject_rows() {
  return {{"subscribers", 1}, {"opt_ins", 2},     {"consent_log", 3}, {"chats", 2},   {"messages", 6},
          {"campaigns", 2},   {"link_clicks", 3}, {"orders", 2},      {"invoices", 2}};
}

Status create_sample_sqlite(const std::string& path, const SampleOptions& options, SampleCounts* counts) {
  if (Status s = sample::check_options(options); !s) return s;
  // O_EXCL makes "refuse an existing file" and "create it" one step: nothing can
  // slip a file in between, and an existing one is never opened.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return fail(path + ": exists; the sample store is written only to a new file");
    return fail(path + ": " + std::strerror(errno));
  }
  ::close(fd);
  try {
    SqliteWriter writer(path);
    SampleCounts written = sample::generate(options, writer);
    writer.finish();
    if (counts) *counts = std::move(written);
    return Status::Ok();
  } catch (const std::exception& e) {
    std::remove(path.c_str());
    return fail(path + ": " + e.what());
  }
}

Status create_sample_mysql(const std::string& soci_connection, const SampleOptions& options,
                           SampleCounts* counts) {
  if (Status s = sample::check_options(options); !s) return s;
  std::unique_ptr<soci::session> session;
  try {
    session = std::make_unique<soci::session>(soci::mysql, soci_connection);
  } catch (const std::exception& e) {
    // SOCI's message may quote the connection string, password included.
    const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
    return fail("sample store (mysql): cannot connect: " +
                (soci_error ? soci_error->get_error_message() : e.what()));
  }
  MYSQL* connection = static_cast<soci::mysql_session_backend*>(session->get_backend())->conn_;
  std::unique_ptr<MysqlWriter> writer;  // outlives the try block: a failure drops its tables
  try {
    writer = std::make_unique<MysqlWriter>(connection);
    writer->create_tables();
    SampleCounts written = sample::generate(options, *writer);
    writer->finish();
    if (counts) *counts = std::move(written);
    return Status::Ok();
  } catch (const std::exception& e) {
    if (writer) writer->drop_created();
    return fail(std::string("sample store (mysql): ") + e.what());
  }
}

}  // namespace dsr
