#pragma once
// The seam between dsr and a store. The core never writes a query for a store: it
// hands a connector a typed step (a collection, a field to match, the values to
// match, the fields to read) and receives rows one at a time. Identifiers in a step
// come only from validated mappings; values are always bound as parameters.
//
// Thread safety: one Connector is used by one thread at a time.

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/common/value.h"
#include "dsr/mapping/mapping.h"

namespace dsr {

// Which rows a step addresses: those whose match_field equals one of values.
struct MatchSpec {
  std::string collection;
  std::string match_field;
  MatchMode mode = MatchMode::exact;
  StoredAs stored_as = StoredAs::text;
  std::vector<Value> values;  // normalised; a connector binds them per stored_as, in chunks it chooses
};

struct FetchStep {
  MatchSpec match;
  std::vector<std::string> fields;       // read in this order; each Row has exactly these columns
  std::vector<std::string> primary_key;  // rows arrive ordered by it; lets a connector page by key
};

// Called once per row; an error stops the fetch and is returned from it.
using RowVisitor = std::function<Status(const Row&)>;

// Erasure: what happens to each matched row. For update, `assign` gives each listed
// field its new value from the row's current values (a fixed value, NULL, or a keyed
// hash of the old value, decided by the caller).
struct FieldAssignment {
  std::string field;
  std::function<Value(const Value& current)> assign;
  // Set when assign gives this value whatever the current one is (a fixed value,
  // NULL): a connector may then write a chunk with one statement, without reading
  // its rows first.
  std::optional<Value> constant = std::nullopt;
};

struct EraseStep {
  MatchSpec match;
  std::vector<std::string> primary_key;
  bool delete_rows = true;                 // false: update the assignments instead
  std::vector<FieldAssignment> assignments;  // for update
  std::size_t chunk_rows = 1000;           // at most this many rows per transaction
  // Called after each committed chunk with its row count; an error stops the erasure
  // (the caller's claim on the request is gone, say). Optional.
  std::function<Status(std::uint64_t rows)> after_chunk;
};

struct EraseResult {
  std::uint64_t rows = 0;          // rows deleted or updated
  std::uint64_t transactions = 0;  // how many transactions it took
  std::uint64_t largest_transaction = 0;  // rows in the largest one
};

struct ConnectorFeatures {
  bool erase = false;  // delete and update by match (erasure issue)
  bool index_info = false;
};

struct ConnectorSettings {
  std::string name;                  // as in the config's "connectors" list
  std::string kind;                  // "sqlite", "mysql", ...
  Poco::JSON::Object::Ptr settings;  // the connector's own object from the config
  std::string base_directory;        // the config file's folder, for relative paths
};

class Connector {
 public:
  virtual ~Connector() = default;

  const std::string& name() const { return name_; }
  virtual ConnectorFeatures features() const = 0;

  // Connects (if not yet) and checks that every collection and field of the mapping
  // exists. Errors name the connector and the collection/field.
  virtual Status check(const DatasetMapping& mapping) = 0;

  // Streams matching rows to visit. Rows of one step arrive without duplicates when
  // values has none. A failure names the connector and the collection.
  virtual Status fetch(const FetchStep& step, const RowVisitor& visit) = 0;

  // Deletes or updates the matching rows in chunks of at most step.chunk_rows rows,
  // each chunk in its own transaction, ordered by primary key, so no lock is held long.
  // Idempotent: running it again after it finished (or after a crash part-way) affects
  // only what is still left. Errors name the connector and the collection; chunks that
  // committed before the error stay committed (the result's counts say how many).
  // Connectors whose features() say erase = false keep this answer.
  virtual Result<EraseResult> erase(const EraseStep& step) {
    return fail("connector '" + name() + "': collection '" + step.match.collection + "': this kind of store cannot erase");
  }

  // How many rows match (verification after erasure, dry-run counts).
  virtual Result<std::uint64_t> count(const MatchSpec& match) = 0;

  // Adds one row (fields[i] = values[i]) in a transaction of its own. For suppression
  // entries; a kind of store that cannot add rows says so.
  virtual Status insert(const std::string& collection, const std::vector<std::string>& fields, const Row& values) {
    (void)fields;
    (void)values;
    return fail("collection " + collection + ": this kind of store cannot add rows");
  }

  // The parameterised statement fetch() would run, with placeholders, for `dsr plan`.
  virtual std::string describe(const FetchStep& step) const = 0;

  // False when a match on this field would scan the whole collection (no usable index).
  virtual Result<bool> is_indexed(const std::string& collection, const std::string& field) = 0;

 protected:
  explicit Connector(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

}  // namespace dsr
