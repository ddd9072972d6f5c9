#pragma once
// What the SQLite and MySQL connectors share: lazy connection, the per-collection
// catalog, chunking of match values, merging of chunks in key order, and turning
// driver exceptions into errors that name the connector and the collection.
// An engine supplies how to connect, read its catalog, count, open a cursor, and
// run write transactions.

#include <soci/soci.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/core/connector.h"
#include "connectors/sql/bind_values.h"
#include "connectors/sql/catalog.h"
#include "connectors/sql/cursor.h"
#include "connectors/sql/dialect.h"
#include "connectors/sql/query.h"

namespace dsr::sql {

struct SqlLimits {
  std::size_t chunk_values = 500;   // match values per statement
  std::size_t page_rows = 5000;     // rows per statement when the engine pages (MySQL)
  std::size_t min_page_rows = 200;  // per chunk, when several chunks share page_rows
};

// A step turned into statements for one chunk of values.
struct FetchPlan {
  SelectStatement statement;      // first page; value_count is set per chunk
  std::vector<ColumnKind> kinds;  // per select column, for reading
  RowLayout layout;
};

// A row read for erasure: its primary key, and the fields an update assigns.
struct KeyedRow {
  Row key;
  Row fields;
};

// A statement that changes rows, run once per set of bound values. Values are
// bound by name (without ':'); a value keeps its binding until rebound.
class WriteStatement {
 public:
  virtual ~WriteStatement() = default;
  virtual void bind(const std::string& name, const Value& value) = 0;
  // Rows the engine reports as changed.
  virtual std::uint64_t execute() = 0;
};

class SqlConnector : public Connector {
 public:
  ConnectorFeatures features() const override;
  Status insert(const std::string& collection, const std::vector<std::string>& fields, const Row& values) override;
  Status check(const DatasetMapping& mapping) override;
  Status fetch(const FetchStep& step, const RowVisitor& visit) override;
  // Delete: each transaction selects the next chunk_rows matching keys (after the
  // last transaction's) and deletes them by key, until a selection comes back short;
  // rows counts rows deleted, and a rerun deletes 0 rows.
  // Update: pages by key (key > last page's last key) so that rows still matching
  // after their update are written once; rows counts rows written, and a rerun
  // writes every still-matching row again: the same values for fixed and NULL
  // assignments, the assignment applied to the written value for a function of it.
  // No assignments: nothing is written, rows counts the matching rows.
  // A failure after some commits says how many rows and transactions committed.
  // MySQL: a lost connection is reopened once and the erasure resumes, except while
  // a COMMIT's outcome is unknown.
  Result<EraseResult> erase(const EraseStep& step) override;
  Result<std::uint64_t> count(const MatchSpec& match) override;
  std::string describe(const FetchStep& step) const override;
  Result<bool> is_indexed(const std::string& collection, const std::string& field) override;

 protected:
  SqlConnector(std::string name, SqlEngine engine, SqlLimits limits = {});

  // Engine parts. All may throw; a throw becomes an error naming the collection.
  virtual void open(soci::session& session) = 0;
  // nullopt: no such table.
  virtual std::optional<TableInfo> read_table(soci::session& session, const std::string& table) = 0;
  // Whether the column is the first column of an index (a primary key counts).
  virtual bool first_in_index(soci::session& session, const std::string& table,
                              const std::string& column) = 0;
  virtual std::uint64_t count_rows(soci::session& session, const std::string& sql,
                                   const std::vector<BindValue>& values) = 0;
  // One chunk's rows in key order; page_rows is the LIMIT per statement when pages().
  virtual std::unique_ptr<RowCursor> open_cursor(soci::session& session, const FetchPlan& plan,
                                                 std::vector<BindValue> values, std::size_t page_rows) = 0;
  // Write transactions. Reads for a write run inside one on the same connection.
  virtual void begin_write(soci::session& session) = 0;
  virtual void commit_write(soci::session& session) = 0;
  virtual void rollback_write(soci::session& session) = 0;
  // Up to limit rows of one chunk of values in key order, after the key `after` when
  // given; lock: the rows are about to be updated from the values read.
  virtual std::vector<KeyedRow> read_for_write(soci::session& session, const FetchPlan& plan,
                                               const std::vector<BindValue>& values, const Row* after,
                                               std::size_t limit, bool lock) = 0;
  virtual std::unique_ptr<WriteStatement> prepare_write(soci::session& session, const std::string& sql) = 0;
  // Whether rows must be fetched page by page because the driver holds a whole result in memory.
  virtual bool pages() const = 0;
  // Whether a chunk may be written as one DELETE or UPDATE by key in its own
  // autocommit transaction after a plain read of its keys (two round trips instead
  // of four with START TRANSACTION and COMMIT): the engine takes any number of keys
  // in one statement (MySQL; SQLite before 3.32 allows 999 parameters).
  virtual bool writes_in_autocommit() const { return false; }
  // Whether an exception means the connection is gone (the next call reconnects).
  virtual bool connection_lost(const std::exception& error) const;

  SqlEngine engine() const { return engine_; }
  const SqlLimits& limits() const { return limits_; }

 private:
  // Connects if not yet connected, runs work, and turns exceptions into errors
  // "connector '<name>': collection '<collection>': ...".
  template <typename T>
  Result<T> guarded(const std::string& collection, const std::function<Result<T>()>& work);
  Status connect();
  void disconnect();
  // Throws std::runtime_error("no such table") or ("field 'x': no such column").
  const TableInfo& table(const std::string& collection);
  const TableInfo& table_with(const std::string& collection, const std::vector<std::string>& fields);
  FetchPlan plan(const FetchStep& step, const TableInfo* table) const;
  // The WHERE for a match, with an indexed prefilter where it selects the same rows.
  MatchExpression match_for(const MatchSpec& match, const TableInfo* table) const;
  std::size_t page_rows_for(std::size_t chunks) const;
  std::uint64_t count_matches(const MatchSpec& match);

  class WriteTransaction;
  // Erasure. progress survives a reconnect, so that a retry resumes where it stopped.
  struct EraseProgress {
    EraseResult done;
    Row after;               // the last key of the last committed chunk
    bool resumable = true;   // false while a COMMIT's outcome is unknown
  };
  void run_erase(const EraseStep& step, EraseProgress& progress);
  // Deletes, or writes constant assignments, chunk by chunk (writes_in_autocommit()).
  void erase_by_keys(const EraseStep& step, const TableInfo& info, const std::vector<std::vector<BindValue>>& chunks,
                     std::size_t limit, EraseProgress& progress);
  std::vector<KeyedRow> read_page(const FetchPlan& plan, const std::vector<std::vector<BindValue>>& chunks,
                                  const Row* after, std::size_t limit, bool lock);
  std::uint64_t delete_rows(const std::string& table, const std::vector<std::string>& key_columns,
                            const std::vector<ParamForm>& forms, const std::vector<KeyedRow>& rows);
  std::string prefix() const;

  SqlEngine engine_;
  SqlLimits limits_;
  soci::session session_;
  bool connected_ = false;
  bool connect_failed_ = false;  // describe() does not retry (a MySQL connect may take seconds to fail)
  std::map<std::string, TableInfo> tables_;
};

}  // namespace dsr::sql
