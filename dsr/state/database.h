#pragma once
// The connection to dsr's own state store, over SOCI, on either engine.
//
// Thread safety: a Database is used by one thread at a time (a SOCI session is not
// thread-safe). Several processes may share one store: writes go through
// in_transaction(), which takes the engine's write lock up front (BEGIN IMMEDIATE on
// SQLite; InnoDB row locks on MariaDB/MySQL).

#include <soci/soci.h>

#include <functional>
#include <memory>
#include <string>

#include "dsr/common/result.h"
#include "dsr/common/time.h"

namespace dsr {

enum class StoreEngine { sqlite, mysql };

struct StoreConnection {
  StoreEngine engine = StoreEngine::sqlite;
  std::string sqlite_path;       // for sqlite
  std::string mysql_connection;  // SOCI connection string for mysql, e.g. "db=dsr user=dsr host=127.0.0.1"
};

class Database {
 public:
  // Opens the store; does not create or migrate tables (see migrations.h).
  static Result<std::unique_ptr<Database>> open(const StoreConnection& connection);

  StoreEngine engine() const { return engine_; }
  soci::session& session() { return session_; }

  // Runs work in one transaction: commits when it returns ok, rolls back when it
  // returns an error or throws. SOCI exceptions become errors prefixed "state store: ".
  Status in_transaction(const std::function<Status()>& work);

  // Runs read-only work, translating SOCI exceptions the same way.
  Status read(const std::function<Status()>& work);

  bool in_transaction() const { return in_transaction_; }

 private:
  Database(StoreEngine engine) : engine_(engine) {}
  StoreEngine engine_;
  soci::session session_;
  bool in_transaction_ = false;
};

// Reading columns from a soci::row whatever integer width each engine reports.
std::string column_text(const soci::row& row, std::size_t index);  // NULL -> ""
long long column_int(const soci::row& row, std::size_t index);     // NULL -> 0
bool column_is_null(const soci::row& row, std::size_t index);
// A UTC text column ("YYYY-MM-DDTHH:MM:SSZ") as a time; NULL or unparsable -> the epoch.
TimePoint column_time(const soci::row& row, std::size_t index);

// Binds an empty text as SQL NULL (optional columns are kept as empty strings in memory).
inline soci::indicator null_if_empty(const std::string& text) { return text.empty() ? soci::i_null : soci::i_ok; }

}  // namespace dsr
