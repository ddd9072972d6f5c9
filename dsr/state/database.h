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

// When a commit reaches the disk.
enum class Durability {
  // Before in_transaction() returns (on SQLite: the WAL is fsynced at COMMIT).
  at_commit,
  // With the next at_commit commit of this store, or earlier. A power failure in
  // between may undo the transaction, and only ever together with everything the
  // store committed after it: SQLite's WAL keeps commits in order, and recovery
  // keeps the longest prefix that reached the disk. For bookkeeping that nothing
  // outside the store acts on before a later at_commit commit, such as an access
  // run's claim and step audit before its completion: undone, the request is just
  // approved again, as before the run. On MariaDB/MySQL this is at_commit (the
  // server decides how it flushes).
  deferred,
};

// Why deferring is safe for a run's bookkeeping (its claim, the erasure journal, the
// audit of its steps, lease renewals), as long as the run's end (completed or failed,
// with its audit entry) commits at_commit:
// - Only a power loss or an OS crash can drop a deferred commit; a killed process
//   cannot, since committed WAL frames are in the OS's cache. A power loss also ends
//   every worker on this machine, so a dropped claim is nobody's claim.
// - WAL frames are chained by checksums: recovery keeps a prefix of the log, so only
//   the last transactions can vanish, never an earlier one while a later one stays,
//   and the at_commit end takes everything before it to disk.
// - The erasure journal records a chunk only after the data store's COMMIT returned,
//   so it never claims work the data store did not do. A dropped entry under-claims:
//   the rerun finds those rows already erased and verifies by re-discovery as always.
// - The audit chain loses a suffix together with its sealed head (same
//   transactions), so `audit verify` still holds.

class Database {
 public:
  // Opens the store; does not create or migrate tables (see migrations.h).
  static Result<std::unique_ptr<Database>> open(const StoreConnection& connection);

  StoreEngine engine() const { return engine_; }
  soci::session& session() { return session_; }

  // Runs work in one transaction: commits when it returns ok, rolls back when it
  // returns an error or throws. SOCI exceptions become errors prefixed "state store: ".
  Status in_transaction(const std::function<Status()>& work, Durability durability = Durability::at_commit);

  // Runs read-only work, translating SOCI exceptions the same way.
  Status read(const std::function<Status()>& work);

  bool in_transaction() const { return in_transaction_; }

 private:
  friend class DeferredCommits;
  Database(StoreEngine engine) : engine_(engine) {}
  StoreEngine engine_;
  soci::session session_;
  bool in_transaction_ = false;
  int deferring_scopes_ = 0;
};

// While one lives, every transaction on the store commits as Durability::deferred,
// for callers that reach the store through layers (the work queue's claims and
// renewals) rather than through in_transaction themselves. Scopes nest; create them
// outside a transaction.
class DeferredCommits {
 public:
  explicit DeferredCommits(Database& db);
  ~DeferredCommits();
  DeferredCommits(const DeferredCommits&) = delete;
  DeferredCommits& operator=(const DeferredCommits&) = delete;

 private:
  Database& db_;
  bool counted_ = false;
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
