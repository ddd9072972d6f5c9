#pragma once
// A request as JSON, the one shape shared by the REST API (schemas/openapi.json,
// Request) and `dsr --json`: deadlines as days left, identities partly masked, never
// the full value.

#include <Poco/JSON/Object.h>

#include "dsr/state/request_store.h"

namespace dsr {

Poco::JSON::Object::Ptr request_json(const Request& request, TimePoint now);

}  // namespace dsr
