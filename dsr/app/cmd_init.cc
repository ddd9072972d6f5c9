// dsr init: writes a default config when there is none, creates the subject key,
// the export folder and the state store, and brings the store to this binary's schema.

#include <Poco/File.h>

#include <sys/stat.h>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/audit/audit_log.h"
#include "dsr/state/migrations.h"

namespace dsr::cli {

int cmd_init(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  if (Status s = initialise_installation(args.config_path(), io.out); !s) return report_failure(io, s.error());
  return kExitOk;
}

Status initialise_installation(const std::string& path, std::ostream& out) {
  if (!Poco::File(path).exists()) {
    if (Status s = write_default_config(path); !s) return s;
    out << "wrote default config " << path << "\n";
  }
  auto config = load_config(path);
  if (!config) return config.take_error();

  if (!Poco::File(config->key_file).exists()) {
    if (Status s = SubjectKey::create(config->key_file); !s) return s;
    out << "created key file " << config->key_file << " (mode 0600; keep it outside backups of the database)\n";
  }
  auto key = SubjectKey::load(config->key_file);
  if (!key) return key.take_error();

  if (!Poco::File(config->export_dir).exists()) {
    if (::mkdir(config->export_dir.c_str(), 0700) != 0) {
      return fail("export folder " + config->export_dir + ": cannot create");
    }
  }

  auto db = Database::open(store_connection(*config));
  if (!db) return db.take_error();
  auto before = stored_schema_version(**db);
  if (!before) return before.take_error();
  if (Status s = migrate(**db); !s) return s;
  SystemClock clock;
  AuditLog audit(**db, *key, clock);
  if (Status s = audit.initialise(); !s) return s;
  if (*before != current_schema_version()) {
    Status logged = (*db)->in_transaction([&] {
      Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
      detail->set("from_version", static_cast<Poco::Int64>(*before));
      detail->set("to_version", static_cast<Poco::Int64>(current_schema_version()));
      return audit.append({"store.migrated", "cli", "", "", detail});
    });
    if (!logged) return logged;
  }
  out << "state store ready (" << (config->state.engine == StateEngine::sqlite ? "sqlite " + config->state.sqlite_path : std::string("mysql"))
         << ", schema version " << current_schema_version()
         << (*before == current_schema_version() ? ", unchanged" : ", migrated from " + std::to_string(*before)) << ")\n";
  return Status::Ok();
}

}  // namespace dsr::cli
