#include "connectors/core/registry.h"

#include <utility>

#include "dsr/common/text.h"

namespace dsr {

void ConnectorRegistry::add(const std::string& kind, ConnectorFactory factory) {
  factories_[kind] = std::move(factory);
}

bool ConnectorRegistry::knows(const std::string& kind) const { return factories_.count(kind) != 0; }

std::vector<std::string> ConnectorRegistry::kinds() const {
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [kind, factory] : factories_) names.push_back(kind);
  return names;
}

Result<std::unique_ptr<Connector>> ConnectorRegistry::create(const ConnectorSettings& settings) const {
  const auto found = factories_.find(settings.kind);
  if (found == factories_.end()) {
    std::string known;
    for (const auto& [kind, factory] : factories_) known += (known.empty() ? "" : ", ") + kind;
    return fail("connector '" + settings.name + "': unknown kind " + quote_for_message(settings.kind) +
                " (known kinds: " + (known.empty() ? "none" : known) + ")");
  }
  return found->second(settings);
}

}  // namespace dsr
