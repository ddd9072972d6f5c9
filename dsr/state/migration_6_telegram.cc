#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_6(StoreEngine) { return {}; }

}  // namespace dsr
