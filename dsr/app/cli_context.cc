#include "dsr/app/cli_context.h"

#include "dsr/state/migrations.h"

namespace dsr::cli {

StoreConnection store_connection(const Config& config) {
  StoreConnection connection;
  connection.engine = config.state.engine == StateEngine::sqlite ? StoreEngine::sqlite : StoreEngine::mysql;
  connection.sqlite_path = config.state.sqlite_path;
  connection.mysql_connection = config.state.mysql_connection;
  return connection;
}

Result<std::unique_ptr<Context>> open_context(const std::string& config_path) {
  auto config = load_config(config_path);
  if (!config) return config.take_error();
  auto context = std::make_unique<Context>();
  context->config = std::move(*config);
  context->identities = IdentityNormaliser(context->config.identities);
  auto db = Database::open(store_connection(context->config));
  if (!db) return db.take_error();
  context->db = std::move(*db);
  if (Status s = check_schema_version(*context->db); !s) return s.take_error();
  auto key = SubjectKey::load(context->config.key_file);
  if (!key) return key.take_error();
  context->key = std::make_unique<SubjectKey>(std::move(*key));
  return context;
}

}  // namespace dsr::cli
