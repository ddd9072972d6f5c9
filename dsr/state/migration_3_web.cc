#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_3(StoreEngine) { return {}; }

}  // namespace dsr
