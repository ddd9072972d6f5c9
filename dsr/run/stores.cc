#include "dsr/run/stores.h"

#include "dsr/mapping/mapping_loader.h"

namespace dsr {

Result<Stores> open_stores(const Config& config, const ConnectorRegistry& registry,
                           const IdentityNormaliser& identities) {
  if (config.mapping_files.empty()) {
    return fail(config.path + ": /mappings: no dataset mappings configured; dsr has no store to search");
  }
  MappingContext context;
  context.identity_kinds = identities.kinds();
  for (const auto& connector : config.connectors) context.connector_names.push_back(connector.name);
  auto mappings = load_mappings(config.mapping_files, context);
  if (!mappings) return mappings.take_error();

  Stores stores;
  stores.mappings = std::move(*mappings);
  for (const auto& connector : config.connectors) {
    bool used = false;
    for (const auto& mapping : stores.mappings) used = used || mapping.connector == connector.name;
    if (!used) continue;
    auto created = registry.create({connector.name, connector.kind, connector.settings, config.directory});
    if (!created) return created.take_error();
    stores.connectors.emplace(connector.name, std::move(*created));
  }
  return stores;
}

Status check_stores(Stores& stores) {
  for (const auto& mapping : stores.mappings) {
    if (Status s = stores.connector_for(mapping).check(mapping); !s) {
      return fail(s.error() + " (dataset '" + mapping.dataset + "', " + mapping.file + ")");
    }
  }
  return Status::Ok();
}

}  // namespace dsr
