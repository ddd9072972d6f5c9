#pragma once
// Objection to direct marketing (Art. 21) in one dataset: instead of erasing, the
// subject's rows of each collection with an objection rule get its fixed values (an
// opt-in flag turned off), and a suppression row is added per proven identity so that
// a later import does not bring the person back. Verified like an erasure: afterwards
// every row found at the start and by a fresh discovery must hold the set values, and
// every suppression row must be there. Idempotent: rows already as set are not
// written or counted again, and a suppression row that exists is not added twice.

#include <cstdint>
#include <string>
#include <vector>

#include "dsr/run/discovery.h"
#include "dsr/run/erasure.h"

namespace dsr {

struct CollectionObjection {
  std::string dataset;
  std::string connector;
  std::string collection;
  std::vector<std::string> fields;  // what the rule sets (or, for suppression, fills)
  bool suppression = false;         // the suppression collection
  std::uint64_t rows_changed = 0;   // rows set, or suppression rows added
  std::uint64_t residue = 0;        // rows not as set, or suppression rows missing
  bool verified = false;
};

class DatasetObjector {
 public:
  DatasetObjector(const DatasetMapping& mapping, Connector& connector, std::size_t chunk_rows,
                  ErasureJournal* journal = nullptr)
      : mapping_(mapping), connector_(connector), chunk_rows_(chunk_rows), journal_(journal) {}

  Status apply(const std::vector<Identity>& identities, std::vector<CollectionObjection>& report);
  Status verify(const std::vector<Identity>& identities, std::vector<CollectionObjection>& report);

 private:
  // The values the suppression field holds for the identities, one per suppression row.
  std::vector<Value> suppression_keys(const std::vector<Identity>& identities) const;
  MatchSpec suppression_match(const Value& key) const;

  const DatasetMapping& mapping_;
  Connector& connector_;
  std::size_t chunk_rows_;
  ErasureJournal* journal_;
  std::vector<MatchSpec> matches_at_start_;
};

}  // namespace dsr
