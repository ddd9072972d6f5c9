#pragma once
// Finding one person's rows in one dataset, following the plan (dsr/plan/plan.h).
//
// Two passes keep memory independent of how much data the person has:
//   resolve()  walks the traversal, reading only the fields that references need and
//              keeping only the distinct key values that lead somewhere else;
//   stream()   then reads each reached collection once, in mapping order, and hands its
//              rows to a sink one at a time.
// A collection reached through more than one field is de-duplicated by primary key,
// which is the only place where memory grows with the number of rows found.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/core/connector.h"
#include "dsr/model/identity.h"
#include "dsr/plan/plan.h"

namespace dsr {

// Receives the rows of one collection at a time.
class CollectionSink {
 public:
  virtual ~CollectionSink() = default;
  // Which mapped fields to read for this collection; empty leaves it out entirely.
  virtual std::vector<std::string> fields_for(const DatasetMapping& dataset, const CollectionMapping& collection) = 0;
  virtual Status begin(const DatasetMapping& dataset, const CollectionMapping& collection,
                       const std::vector<std::string>& fields) = 0;
  virtual Status row(const Row& row) = 0;
  virtual Status end(std::uint64_t rows) = 0;
};

// What one traversal step found, for the audit trail (counts, never values).
struct StepReport {
  std::string dataset;
  std::string collection;
  std::string field;
  ReachedBy reached_by = ReachedBy::identity;
  std::uint64_t values = 0;  // how many distinct values were matched
  std::uint64_t rows = 0;    // how many rows matched them
};

class Discovery {
 public:
  Discovery(const DatasetMapping& mapping, Connector& connector) : mapping_(mapping), connector_(connector) {}

  // Pass 1. Identities of kinds that no field carries are ignored.
  Status resolve(const std::vector<Identity>& identities);

  // Pass 2: every collection the person was found in, in mapping order; collections
  // the traversal could reach but found nothing in are streamed too, with no rows, so
  // an export can say "nothing here".
  Status stream(CollectionSink& sink);

  const std::vector<StepReport>& steps() const { return steps_; }

  // Before resolve(), for erasure and objection, which act on owned_matches() only:
  // references are not followed upward, so no context rows are read.
  void skip_context() { follow_up_ = false; }

  // After resolve(): the person's own rows (reached by identity or downward, never the
  // context rows reached upward), as one match per (collection, field). Erasure acts on
  // exactly these; verification re-counts them.
  std::vector<MatchSpec> owned_matches() const;

 public:
  struct Selector {
    MatchMode mode = MatchMode::exact;
    StoredAs stored_as = StoredAs::text;
    std::vector<Value> values;
    std::set<std::string> seen;  // encoded values, for de-duplication
  };

 private:
  struct Task {
    std::string collection;
    std::string field;
    bool owned = true;
    ReachedBy reached_by = ReachedBy::identity;
    MatchMode mode = MatchMode::exact;
    StoredAs stored_as = StoredAs::text;
    std::vector<Value> values;
  };

  // Primary-key values of the rows resolve() found in one collection with a one-column
  // key. Complete when every read of it had the key among its fields and matched as
  // its selectors now do: stream() then needs no second round of reads for it.
  struct FoundKeys {
    std::vector<Value> values;
    std::set<std::string> seen;
    bool complete = true;
  };

  Status run_task(const Task& task, std::vector<Task>& next);
  void add_selector(const Task& task);
  Result<std::vector<Value>> primary_keys(const CollectionMapping& collection, const std::vector<MatchSpec>& matches);
  // Values not yet queried for (collection, field, owned); marks them queried.
  std::vector<Value> unseen(const std::string& collection, const std::string& field, bool owned,
                            const std::vector<Value>& values);

  const DatasetMapping& mapping_;
  Connector& connector_;
  std::vector<Reference> references_;
  std::set<std::string> reachable_;  // collections the plan can reach for these identities
  std::map<std::string, std::map<std::string, Selector>> selectors_;  // collection -> field -> values
  std::map<std::string, std::map<std::string, Selector>> owned_selectors_;
  std::map<std::tuple<std::string, std::string, bool>, std::set<std::string>> queried_;
  std::map<std::string, FoundKeys> found_keys_;  // by collection
  // Values of fields read from owned rows, by (collection, field).
  std::map<std::pair<std::string, std::string>, std::set<std::string>> owned_values_;
  std::vector<StepReport> steps_;
  bool follow_up_ = true;
};

// A value's identity for de-duplication ("i:42", "s:abc").
std::string value_key(const Value& value);

// How values reached through a reference are bound: as integers when the mapping says
// the field stores integers or every value the store gave is one.
StoredAs reference_storage(const DatasetMapping& mapping, const std::string& collection, const std::string& field,
                           const std::vector<Value>& values);

}  // namespace dsr
