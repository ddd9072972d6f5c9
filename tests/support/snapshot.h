#pragma once
// Every row of dsr's own tables as text, to show that a refused operation changed nothing.

#include <string>

#include "dsr/state/database.h"

namespace dsr::test {

std::string snapshot(Database& db);

}  // namespace dsr::test
