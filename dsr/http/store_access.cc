#include "dsr/http/store_access.h"

namespace dsr::http {

bool with_store(const LendDatabase& lend, const OpenDatabase& open,
                const std::function<void(Database&)>& work) {
  if (lend) {
    lend(work);
    return true;
  }
  auto db = open();
  if (!db) return false;
  work(**db);
  return true;
}

}  // namespace dsr::http
