#pragma once
// Connector kinds by name, filled explicitly at start-up (register_builtin_connectors),
// never by static initialisers, so what is available is visible in one place.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "connectors/core/connector.h"

namespace dsr {

using ConnectorFactory = std::function<Result<std::unique_ptr<Connector>>(const ConnectorSettings&)>;

class ConnectorRegistry {
 public:
  void add(const std::string& kind, ConnectorFactory factory);
  bool knows(const std::string& kind) const;
  std::vector<std::string> kinds() const;
  // Creates a connector; an unknown kind is an error naming the connector and the known kinds.
  Result<std::unique_ptr<Connector>> create(const ConnectorSettings& settings) const;

 private:
  std::map<std::string, ConnectorFactory> factories_;
};

// Adds every connector kind compiled into dsr ("sqlite", "mysql").
void register_builtin_connectors(ConnectorRegistry& registry);

}  // namespace dsr
