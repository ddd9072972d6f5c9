#pragma once
// For the transactions of a run that lead up to its end (the claim, the erasure
// journal, the audit of its steps, lease renewals): on a SQLite state store they
// commit without waiting for the disk (synchronous = NORMAL, in WAL mode) while an
// object of this class lives; on MariaDB nothing changes.
//
// Why every guarantee still holds:
// - Only a power loss (or an OS crash) can drop such a commit; a killed process
//   cannot, since committed WAL frames are in the OS's cache. A power loss also
//   ends every worker on this machine, so a dropped claim is nobody's claim.
// - WAL frames are chained by checksums: recovery keeps a prefix of the log, so a
//   power loss drops the last transactions, never an earlier one while keeping a
//   later one. The run's end (completed or failed, with its audit entry) commits
//   with synchronous = FULL, which fsyncs the log and with it every transaction
//   before it: nothing an outsider is told rests on a commit that may vanish.
// - The erasure journal records a chunk only after the data store's COMMIT has
//   returned, so it never claims work the data store did not commit. A dropped
//   entry under-claims: the rerun (the request is still approved or running)
//   finds those rows already erased, erases nothing twice, verifies by
//   re-discovery as always, and its certificate counts those rows short, as after
//   a kill between the two commits (docs/ARCHITECTURE.md).
// - The audit chain loses a suffix together with its sealed head row (same
//   transactions), so `audit verify` still holds; the rerun audits its own steps.

#include "dsr/state/database.h"

namespace dsr {

class RelaxedDurability {
 public:
  explicit RelaxedDurability(Database& db);
  ~RelaxedDurability();
  RelaxedDurability(const RelaxedDurability&) = delete;
  RelaxedDurability& operator=(const RelaxedDurability&) = delete;

 private:
  Database& db_;
  int previous_ = 2;  // FULL
  bool active_ = false;
};

}  // namespace dsr
