#pragma once
// Verified erasure of one person's rows in one dataset.
//
// What happens to a collection is the mapping's erasure rule: delete the rows, mask
// fields (null, a fixed value, a keyed hash) and keep the rows, or retain them under a
// stated legal basis with the listed fields masked. Only the person's own rows are
// touched (reached by identity or downward), never context rows reached upward.
// Collections are erased children first, so foreign keys never block, in chunks of at
// most chunk_rows rows per transaction. Everything is idempotent: keyed hashes are
// marked ("hmac-sha256:...") and never hashed twice, so a rerun after a crash only
// finishes what is left.
//
// Verification then counts, for every match found at the start and for a fresh
// discovery of the same identities, what still matches: nothing may remain in a
// deleted collection, and rows kept by mask or retain must carry masked values only.

#include <optional>
#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/run/discovery.h"

namespace dsr {

struct CollectionErasure {
  std::string dataset;
  std::string connector;
  std::string collection;
  std::string action;  // delete | mask | retain
  std::string basis;   // for retain
  std::vector<std::string> masked_fields;
  std::uint64_t rows_deleted = 0;
  std::uint64_t rows_masked = 0;    // action mask
  std::uint64_t rows_retained = 0;  // action retain (masked as mapped)
  std::uint64_t largest_transaction = 0;
  std::uint64_t residue = 0;  // rows still matching that should not (after verification)
  bool verified = false;
};

// The value written for a masked field.
Value masked_value(const MaskRule& rule, const SubjectKey& key, const Value& current);
// True when value is what masking with rule leaves behind.
bool looks_masked(const MaskRule& rule, const Value& value);

// The matches verification re-reads: those found at the start, and the values a
// fresh discovery adds, merged into the start's match on the same field, so that
// each field is read once.
std::vector<MatchSpec> verification_checks(std::vector<MatchSpec> at_start, std::vector<MatchSpec> fresh);

// Collections of the mapping in an order where a collection comes before every
// collection it references (children first); cycles keep mapping order.
std::vector<std::string> children_first(const DatasetMapping& mapping);

// The run step of erasing one collection ("erase:<dataset>.<collection>"), and the one
// where an erasure records what it found for the person before it began
// ("found:<dataset>.<collection>").
std::string erase_step(const std::string& dataset, const std::string& collection);
std::string found_step(const std::string& erase_step);

// Where an erasure records its progress as it goes (the state store's run_steps), so
// that a rerun after a crash skips finished collections and still counts what earlier
// attempts did. A collection's step name is "erase:<dataset>.<collection>".
class ErasureJournal {
 public:
  struct Recorded {
    bool done = false;
    std::uint64_t rows = 0;
    std::uint64_t largest_transaction = 0;
    // Rows of this person's that the first attempt found before it began erasing (run
    // step "found:<dataset>.<collection>"): the certificate counts at least these,
    // even when a crash kept an attempt from recording a chunk it committed.
    std::uint64_t found_earlier = 0;
    bool searched_earlier = false;  // that attempt looked for the person here (found_earlier may be 0)
  };
  virtual ~ErasureJournal() = default;
  virtual Result<Recorded> recorded(const std::string& step) = 0;
  // Before anything is erased: the rows of the person found per erase step. Kept from
  // the first attempt that records them; later attempts find only what is left.
  virtual Status found(const std::vector<std::pair<std::string, std::uint64_t>>& rows_by_step) = 0;
  // After each committed chunk. An error (the run lost its claim) stops the erasure.
  virtual Status chunk_committed(const std::string& step, std::uint64_t rows) = 0;
  // retained_rows: for a count-only collection, its count replaces the recorded one.
  virtual Status collection_done(const std::string& step, std::optional<std::uint64_t> retained_rows) = 0;
};

class DatasetEraser {
 public:
  DatasetEraser(const DatasetMapping& mapping, Connector& connector, const SubjectKey& key, std::size_t chunk_rows,
                ErasureJournal* journal = nullptr)
      : mapping_(mapping), connector_(connector), key_(key), chunk_rows_(chunk_rows), journal_(journal) {}

  // Resolves the person's rows, erases them, and fills one report per collection touched.
  Status erase(const std::vector<Identity>& identities, std::vector<CollectionErasure>& report);

  // Erases rows already resolved (several people's at once, see GroupDiscovery); the
  // report then counts the rows of all of them together.
  Status erase_matches(std::vector<MatchSpec> owned, std::vector<CollectionErasure>& report);

  // Counts what is left; sets residue and verified in report. Returns an error only when
  // the store cannot answer; a residue is reported through the entries.
  Status verify(const std::vector<Identity>& identities, std::vector<CollectionErasure>& report);

 private:
  const DatasetMapping& mapping_;
  Connector& connector_;
  const SubjectKey& key_;
  std::size_t chunk_rows_;
  ErasureJournal* journal_;
  std::vector<MatchSpec> matches_at_start_;
};

}  // namespace dsr
