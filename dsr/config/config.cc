#include "dsr/config/config.h"

#include <Poco/JSON/Array.h>
#include <Poco/Path.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "dsr/common/canonical_json.h"
#include "dsr/common/json_schema.h"
#include "dsr/common/text.h"
#include "schemas/embedded_schemas.h"

namespace dsr {
namespace {

using Poco::JSON::Object;

constexpr const char* kSchemaFile = "config.schema.json";

// Defaults for absent keys. config.schema.json repeats them as "default" for
// readers of the schema; these are the ones that take effect.
constexpr const char* kDefaultSqlite = "dsr-state.sqlite";
constexpr const char* kDefaultKeyFile = "dsr.key";
constexpr const char* kDefaultExportDir = "exports";
constexpr const char* kDefaultRegulation = "gdpr";

const Result<JsonSchema>& config_schema() {
  static const Result<JsonSchema> schema = []() -> Result<JsonSchema> {
    const auto text = embedded_schema(kSchemaFile);
    if (!text) return fail(std::string("internal error: ") + kSchemaFile + " is not embedded in this build");
    return JsonSchema::from_embedded_text(*text, kSchemaFile);
  }();
  return schema;
}

// What every section reader needs: where relative paths start, and where to
// put error lines (all of them are reported, not just the first).
struct Context {
  std::string source;        // the config path as the user gave it, for messages
  Poco::Path directory;      // absolute, as a directory
  std::vector<std::string> errors;

  void error(const std::string& pointer, const std::string& message) {
    errors.push_back(source + ": " + pointer + ": " + message);
  }
};

std::string string_or(const Object::Ptr& object, const std::string& key, const std::string& fallback) {
  if (!object || !object->has(key)) return fallback;
  return object->getValue<std::string>(key);
}

std::string without_trailing_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// A path value, absolute. The schema has checked that it is a non-empty string.
std::string path_or(Context& context, const Object::Ptr& object, const std::string& key,
                    const std::string& fallback, const std::string& pointer) {
  const std::string value = string_or(object, key, fallback);
  if (has_control_chars(value)) {
    context.error(pointer, "must not contain control characters");
    return {};
  }
  Poco::Path resolved(context.directory);
  resolved.resolve(Poco::Path(value, Poco::Path::PATH_UNIX));
  return without_trailing_slash(resolved.toString(Poco::Path::PATH_UNIX));
}

// One reader per top-level key of dsr.json. A new key needs an entry in
// config.schema.json, a member in Config (unless its module reads it from
// Config::document) and a reader in kReaders.

void read_state(Context& context, const Object::Ptr& root, Config& config) {
  const Object::Ptr state = root->getObject("state");
  config.state = StateConfig{};
  if (string_or(state, "engine", "sqlite") == "mysql") {
    config.state.engine = StateEngine::mysql;
    config.state.mysql_connection = string_or(state, "mysql", "");
  } else {
    config.state.engine = StateEngine::sqlite;
    config.state.sqlite_path = path_or(context, state, "sqlite", kDefaultSqlite, "/state/sqlite");
  }
}

void read_files(Context& context, const Object::Ptr& root, Config& config) {
  config.key_file = path_or(context, root, "key_file", kDefaultKeyFile, "/key_file");
  config.export_dir = path_or(context, root, "export_dir", kDefaultExportDir, "/export_dir");
}

void read_regulation(Context&, const Object::Ptr& root, Config& config) {
  config.regulation = string_or(root, "regulation", kDefaultRegulation);
}

void read_identities(Context& context, const Object::Ptr& root, Config& config) {
  const Object::Ptr identities = root->getObject("identities");
  IdentityPolicy policy;
  policy.phone_default_region = string_or(identities, "phone_default_region", policy.phone_default_region);
  if (auto custom = identities ? identities->getArray("custom") : nullptr) {
    for (std::size_t i = 0; i < custom->size(); ++i) {
      const Object::Ptr entry = custom->getObject(static_cast<unsigned>(i));
      CustomIdentityKind kind;
      kind.name = string_or(entry, "name", "");
      kind.pattern = string_or(entry, "pattern", "");
      kind.lowercase = entry->has("lowercase") && entry->getValue<bool>("lowercase");
      policy.custom_kinds.push_back(std::move(kind));
    }
  }
  // The schema checks shapes; whether names clash with built-ins, patterns
  // compile and the region exists is the normaliser's knowledge.
  const Status valid = IdentityNormaliser(policy).validate_policy();
  if (!valid) context.error("/identities", valid.error());
  config.identities = std::move(policy);
}

void read_controller(Context&, const Object::Ptr& root, Config& config) {
  const Object::Ptr controller = root->getObject("controller");
  config.controller.name = string_or(controller, "name", "");
  config.controller.contact = string_or(controller, "contact", "");
  config.controller.supervisory_authority = string_or(controller, "supervisory_authority", "");
}

void read_connectors(Context&, const Object::Ptr& root, Config& config) {
  config.connectors.clear();
  const Poco::JSON::Array::Ptr connectors = root->getArray("connectors");
  if (!connectors) return;
  for (std::size_t i = 0; i < connectors->size(); ++i) {
    const Object::Ptr entry = connectors->getObject(static_cast<unsigned>(i));
    config.connectors.push_back({string_or(entry, "name", ""), string_or(entry, "kind", ""), entry});
  }
}

void read_mappings(Context& context, const Object::Ptr& root, Config& config) {
  config.mapping_files.clear();
  const Poco::JSON::Array::Ptr mappings = root->getArray("mappings");
  if (!mappings) return;
  for (std::size_t i = 0; i < mappings->size(); ++i) {
    Object::Ptr holder = new Object;
    holder->set("file", mappings->getElement<std::string>(static_cast<unsigned>(i)));
    config.mapping_files.push_back(path_or(context, holder, "file", "", "/mappings/" + std::to_string(i)));
  }
}

void read_exports(Context&, const Object::Ptr& root, Config& config) {
  const Object::Ptr exports = root->getObject("exports");
  config.exports = ExportConfig{};
  if (!exports) return;
  if (exports->has("encrypt")) config.exports.encrypt = exports->getValue<bool>("encrypt");
  if (exports->has("retention_days")) config.exports.retention_days = exports->getValue<int>("retention_days");
}

void read_erasure(Context&, const Object::Ptr& root, Config& config) {
  const Object::Ptr erasure = root->getObject("erasure");
  config.erasure = ErasureConfig{};
  if (erasure && erasure->has("chunk_rows")) config.erasure.chunk_rows = erasure->getValue<int>("chunk_rows");
  if (erasure && erasure->has("group_requests")) {
    config.erasure.group_requests = erasure->getValue<int>("group_requests");
  }
}

void read_workers(Context&, const Object::Ptr& root, Config& config) {
  const Object::Ptr workers = root->getObject("workers");
  config.workers = WorkerConfig{};
  if (!workers) return;
  if (workers->has("lease_seconds")) config.workers.lease_seconds = workers->getValue<int>("lease_seconds");
  if (workers->has("due_soon_days")) config.workers.due_soon_days = workers->getValue<int>("due_soon_days");
  if (workers->has("minimise_after_days")) {
    config.workers.minimise_after_days = workers->getValue<int>("minimise_after_days");
  }
}

using SectionReader = void (*)(Context&, const Object::Ptr& root, Config&);
constexpr SectionReader kReaders[] = {read_state,      read_files,      read_regulation, read_identities,
                                      read_controller, read_connectors, read_mappings,   read_exports,
                                      read_erasure,    read_workers};

Result<Config> interpret(const Poco::Dynamic::Var& document, const std::string& path) {
  const auto& schema = config_schema();
  if (!schema) return schema.take_error();
  const auto violations = schema->validate(document);
  if (!violations.empty()) return fail(format_violations(path, violations));

  Poco::Path file(path, Poco::Path::PATH_UNIX);
  file.makeAbsolute();
  Poco::Path directory(file);
  directory.makeParent();

  Config config;
  config.path = file.toString(Poco::Path::PATH_UNIX);
  config.directory = without_trailing_slash(directory.toString(Poco::Path::PATH_UNIX));
  config.document = document.extract<Object::Ptr>();

  Context context{path, directory, {}};
  for (const SectionReader read : kReaders) read(context, config.document, config);
  if (!context.errors.empty()) {
    std::string message;
    for (const auto& line : context.errors) message += (message.empty() ? "" : "\n") + line;
    return fail(message);
  }
  return config;
}

}  // namespace

Result<Config> load_config(const std::string& path) {
  auto document = parse_json_file(path);
  if (!document) return document.take_error();
  return interpret(*document, path);
}

Result<Config> parse_config(std::string_view json_text, const std::string& path) {
  auto document = parse_json_text(json_text, path);
  if (!document) return document.take_error();
  return interpret(*document, path);
}

std::string default_config_text() {
  const IdentityPolicy identities;
  return std::string("{\n") +
         "  \"state\": {\n" +
         "    \"engine\": \"sqlite\",\n" +
         "    \"sqlite\": " + json_quote(kDefaultSqlite) + "\n" +
         "  },\n" +
         "  \"key_file\": " + json_quote(kDefaultKeyFile) + ",\n" +
         "  \"export_dir\": " + json_quote(kDefaultExportDir) + ",\n" +
         "  \"regulation\": " + json_quote(kDefaultRegulation) + ",\n" +
         "  \"identities\": {\n" +
         "    \"phone_default_region\": " + json_quote(identities.phone_default_region) + ",\n" +
         "    \"custom\": []\n" +
         "  },\n" +
         "  \"controller\": {\n" +
         "    \"name\": \"Example Controller Ltd\",\n" +
         "    \"contact\": \"privacy@example.com\",\n" +
         "    \"supervisory_authority\": \"Example Data Protection Authority, https://dpa.example\"\n" +
         "  },\n" +
         "  \"connectors\": [],\n" +
         "  \"mappings\": [],\n" +
         "  \"exports\": {\n" +
         "    \"encrypt\": false,\n" +
         "    \"retention_days\": 30\n" +
         "  },\n" +
         "  \"erasure\": {\n" +
         "    \"chunk_rows\": 1000\n" +
         "  },\n" +
         "  \"workers\": {\n" +
         "    \"lease_seconds\": 300,\n" +
         "    \"due_soon_days\": 7,\n" +
         "    \"minimise_after_days\": 365\n" +
         "  }\n" +
         "}\n";
}

Status write_default_config(const std::string& path) {
  // O_EXCL: refusing to overwrite must not race with another writer.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return fail(path + ": already exists; not overwriting it");
    return fail(path + ": cannot create: " + std::strerror(errno));
  }
  const std::string text = default_config_text();
  std::size_t written = 0;
  int error = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno;
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(path.c_str());  // a half-written config would fail later with a confusing message
    return fail(path + ": cannot write: " + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace dsr
