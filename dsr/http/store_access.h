#pragma once
// How an HTTP handler reaches the state store: a connection lent from the server's
// pool for the duration of some work, or, without a pool, one opened for it.

#include <functional>
#include <memory>

#include "dsr/common/result.h"
#include "dsr/state/database.h"

namespace dsr::http {

// Opens a fresh connection, on the thread serving the request (SOCI sessions are
// single-threaded).
using OpenDatabase = std::function<Result<std::unique_ptr<Database>>()>;

// Runs `work` on a connection lent for its duration. The handler uses the connection
// only on the calling thread and only while `work` runs.
using LendDatabase = std::function<void(const std::function<void(Database&)>& work)>;

// Runs work on a lent connection when `lend` is set, else on one opened for it; false
// when none could be opened.
bool with_store(const LendDatabase& lend, const OpenDatabase& open,
                const std::function<void(Database&)>& work);

}  // namespace dsr::http
