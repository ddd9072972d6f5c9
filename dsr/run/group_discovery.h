#pragma once
// Finding the own rows of several people in one dataset at once, for erasing them
// together: one query per (collection, field) and round, with the values of all of
// them, instead of one per person. Each value keeps the set of people it belongs to,
// so every row found is attributed to its owners: a row matched by my identity, or
// pointing at a row of mine (downward), is mine. The same rules as Discovery with
// skip_context(): references are followed downward only, self references never.
//
// Ownership only grows, and a value is queried again when it gains an owner, so the
// result is the same as one Discovery per person would find, whatever the order.
// A row whose matched value belongs to no one (a store comparing more loosely than
// dsr, say a case-insensitive collation on an exact field) is an error: the caller
// then erases the people one at a time. With one person, such a row is theirs.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/core/connector.h"
#include "dsr/model/identity.h"
#include "dsr/plan/plan.h"

namespace dsr {

class GroupDiscovery {
 public:
  GroupDiscovery(const DatasetMapping& mapping, Connector& connector) : mapping_(mapping), connector_(connector) {}

  // people[i] are the proven identities of person i.
  Status resolve(const std::vector<std::vector<Identity>>& people);

  // Everything found, one match per (collection, field) with every person's values:
  // erasing these erases exactly the union of each person's own rows.
  std::vector<MatchSpec> owned_matches() const;

  struct Found {
    bool searched = false;   // a value of this person's was looked for in the collection
    std::uint64_t rows = 0;  // distinct rows of this person's found there
  };
  // Per collection (mapping order) what was found for person i.
  std::vector<std::pair<std::string, Found>> found_for(std::size_t person) const;

 private:
  using Owners = std::set<std::size_t>;
  struct ValueState {
    Value value;
    Owners owners;
    Owners queried_for;  // owners at the time it was last queried
  };
  struct FieldState {
    MatchMode mode = MatchMode::exact;
    StoredAs stored_as = StoredAs::text;
    bool identity = false;  // an identity field: mode and stored_as come from the mapping
    std::map<std::string, ValueState> values;  // by canonical text
  };
  using FieldKey = std::pair<std::string, std::string>;  // collection, field

  void add_owners(const FieldKey& field, const Value& value, const Owners& owners);
  Status query(const FieldKey& field, FieldState& state);

  const DatasetMapping& mapping_;
  Connector& connector_;
  std::vector<Reference> references_;
  std::size_t people_ = 0;
  std::map<FieldKey, FieldState> fields_;
  std::map<std::string, std::map<std::string, Owners>> rows_;  // collection -> primary key -> owners
  std::map<std::string, Owners> searched_;                      // collection -> people looked for
};

}  // namespace dsr
