#include "dsr/web/request_view.h"

#include <Poco/JSON/Array.h>

#include "dsr/model/masking.h"

namespace dsr::web {

std::string masked_value(const StoredIdentity& identity) {
  return mask_identity(Identity{identity.kind, identity.value});
}

}  // namespace dsr::web
