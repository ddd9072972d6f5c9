#pragma once
// The configured stores: every dataset mapping, loaded and checked, and one connector
// per configured connector name.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "connectors/core/registry.h"
#include "dsr/config/config.h"
#include "dsr/mapping/mapping.h"
#include "dsr/model/identity.h"

namespace dsr {

struct Stores {
  std::vector<DatasetMapping> mappings;
  std::map<std::string, std::unique_ptr<Connector>> connectors;

  // Precondition: the mapping came from this Stores (its connector exists).
  Connector& connector_for(const DatasetMapping& mapping) { return *connectors.at(mapping.connector); }
};

// Loads the mappings named in the config and creates their connectors (which connect
// lazily). Errors name the mapping file and JSON pointer, or the connector.
Result<Stores> open_stores(const Config& config, const ConnectorRegistry& registry,
                           const IdentityNormaliser& identities);

// Every mapping against its store: tables and columns exist, the store answers.
Status check_stores(Stores& stores);

}  // namespace dsr
