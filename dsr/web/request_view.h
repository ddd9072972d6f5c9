#pragma once
// How a request is shown to officers on the web and in the API: deadlines as days
// left, identities partly masked (never the full value).

#include <Poco/JSON/Object.h>

#include "dsr/requests/request_json.h"
#include "dsr/state/request_store.h"

namespace dsr::web {

std::string masked_value(const StoredIdentity& identity);


}  // namespace dsr::web
