#include "dsr/state/migration_steps.h"

namespace dsr {

std::vector<std::string> migration_2(StoreEngine) { return {}; }

}  // namespace dsr
