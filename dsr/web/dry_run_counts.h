#pragma once
// The dry run an officer sees before approving: how many rows each collection holds
// for the request's proven identities. It runs discovery read-only and reads only
// primary keys; counts leave this function, never values.

#include <cstdint>
#include <string>
#include <vector>

#include "dsr/state/request_store.h"
#include "dsr/web/context.h"

namespace dsr::web {

struct CollectionCount {
  std::string dataset;
  std::string collection;
  std::uint64_t rows = 0;
};

// Collections where rows were found, in mapping order. Errors name connector and collection.
Result<std::vector<CollectionCount>> dry_run_counts(const WebContext& context, const Request& request);

}  // namespace dsr::web
