#pragma once
// Partly masked identity values for officers' screens: enough to tell two requests
// apart, not enough to read the value off a shoulder or a screenshot.

#include <string>

#include "dsr/model/identity.h"

namespace dsr {

// email "jane.doe@example.com" -> "j*******@e******.com"; phone "+4915112345678" -> "+49*********78";
// others keep their first and last character.
std::string mask_identity(const Identity& identity);

}  // namespace dsr
