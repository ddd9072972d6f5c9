#include "dsr/run/relaxed_durability.h"

#include <string>

namespace dsr {

RelaxedDurability::RelaxedDurability(Database& db) : db_(db) {
  if (db_.engine() != StoreEngine::sqlite || !db_.session().is_connected()) return;
  try {
    db_.session() << "PRAGMA synchronous", soci::into(previous_);
    if (previous_ <= 1) return;  // already NORMAL or OFF: nothing to relax or restore
    db_.session() << "PRAGMA synchronous = NORMAL";
    active_ = true;
  } catch (const std::exception&) {
    // The transactions then commit as durably as every other one.
  }
}

RelaxedDurability::~RelaxedDurability() {
  if (!active_) return;
  try {
    db_.session() << "PRAGMA synchronous = " + std::to_string(previous_);
  } catch (const std::exception&) {
    // A session that cannot run a PRAGMA fails its next transaction anyway.
  }
}

}  // namespace dsr
