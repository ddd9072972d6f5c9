// dsr demo: a sample installation on the embedded SQLite default (a Telegram marketing
// business's store with thousands of subscribers, its mapping and config), then one
// subject's access and portability requests walked from submission to export.

#include <Poco/File.h>
#include <Poco/Path.h>

#include <fstream>
#include <iomanip>

#include "connectors/core/registry.h"
#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/demo/sample_store.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "dsr/run/request_runner.h"

namespace dsr::cli {

namespace {

// Marks a folder as made by `dsr demo`, so a rerun may replace it and nothing else.
constexpr const char* kMarker = ".dsr-demo";
constexpr std::size_t kSubjects = 5000;

Status prepare_folder(const std::string& dir) {
  Poco::File folder(dir);
  if (folder.exists()) {
    if (!Poco::File(Poco::Path(dir, kMarker)).exists()) {
      return fail("demo folder " + dir + ": exists and was not made by `dsr demo`; choose another with --dir");
    }
    folder.remove(true);
  }
  folder.createDirectories();
  std::ofstream(Poco::Path(dir, kMarker).toString()) << "made by dsr demo\n";
  return Status::Ok();
}

Status write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return fail(path + ": cannot write");
  return Status::Ok();
}

std::string demo_config() {
  return R"json({
  "state": {"engine": "sqlite", "sqlite": "dsr-state.sqlite"},
  "key_file": "dsr.key",
  "export_dir": "exports",
  "regulation": "gdpr",
  "identities": {"phone_default_region": "DE", "custom": []},
  "controller": {
    "name": "Example Marketing GmbH (demo)",
    "contact": "privacy@example.com",
    "supervisory_authority": "Example Data Protection Authority, https://dpa.example"
  },
  "connectors": [{"name": "marketing_db", "kind": "sqlite", "path": "marketing.sqlite"}],
  "mappings": ["mappings/marketing.json"],
  "exports": {"encrypt": false, "retention_days": 30}
}
)json";
}

}  // namespace

int cmd_demo(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--dir"}, {}, 0, 0}); !s) return report_failure(io, s.error(), kExitUsage);
  const std::string dir = Poco::Path(args.value("--dir").value_or("dsr-demo")).absolute().toString();
  if (Status s = prepare_folder(dir); !s) return report_failure(io, s.error());
  const auto in_dir = [&dir](const std::string& name) { return Poco::Path(dir, name).toString(); };

  SampleOptions sample;
  sample.subjects = kSubjects;
  SampleCounts counts;
  if (Status s = create_sample_sqlite(in_dir("marketing.sqlite"), sample, &counts); !s) {
    return report_failure(io, s.error());
  }
  std::uint64_t total = 0;
  for (const auto& [table, rows] : counts) total += rows;
  io.out << "sample store " << in_dir("marketing.sqlite") << ": " << kSubjects << " subscribers, " << total
         << " rows in " << counts.size() << " tables\n";
  Poco::File(in_dir("mappings")).createDirectories();
  if (Status s = write_file(in_dir("mappings/marketing.json"), sample_mapping_json("marketing_db")); !s) {
    return report_failure(io, s.error());
  }
  if (Status s = write_file(in_dir("dsr.json"), demo_config()); !s) return report_failure(io, s.error());
  if (Status s = initialise_installation(in_dir("dsr.json"), io.out); !s) return report_failure(io, s.error());

  auto context = open_context(in_dir("dsr.json"));
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  OfficerService officers(*c.db, *c.key, c.clock);
  // The demo officer's password is random and shown nowhere: the demo acts through the CLI.
  if (Status s = officers.add("demo-officer", OfficerRole::officer, to_hex(random_bytes(16)), "demo"); !s) {
    return report_failure(io, s.error());
  }
  RequestService requests(*c.db, *c.key, c.clock);
  ConnectorRegistry registry;
  register_builtin_connectors(registry);
  WorkerIdentity worker = this_worker();
  worker.name = "demo";
  RequestRunner runner({c.config, *c.db, *c.key, c.clock, registry, c.identities, worker, DSR_VERSION});

  const KnownSubject subject;
  io.out << "\nthe subject: the person behind Telegram id " << subject.telegram_id
         << " (proven by the bot) and their email address\n";
  for (RequestType type : {RequestType::access, RequestType::portability}) {
    SubmitInput input;
    input.type = type;
    input.channel = "cli";
    input.actor = "demo";
    input.identities_proven = true;
    for (const std::string& text :
         {"telegram_id=" + std::to_string(subject.telegram_id), "email=" + subject.email}) {
      auto identity = c.identities.parse_assignment(text);
      if (!identity) return report_failure(io, identity.error());
      input.identities.push_back(*identity);
    }
    auto submitted = requests.submit(input);
    if (!submitted) return report_failure(io, submitted.error());
    if (Status s = requests.approve(submitted->id, "demo-officer", "identity proven by Telegram"); !s) {
      return report_failure(io, s.error());
    }
    auto outcome = runner.run(submitted->id);
    if (!outcome) return report_failure(io, outcome.error());
    if (outcome->status != RequestStatus::completed) {
      return report_failure(io, "demo " + std::string(to_string(type)) + " request failed: " + outcome->failure);
    }
    io.out << "  " << std::left << std::setw(12) << to_string(type) << submitted->id << "  " << outcome->rows
           << " rows from " << outcome->collections << " collections\n"
           << "              -> " << outcome->export_path << "\n";
  }

  auto listed = requests.list({});
  if (!listed) return report_failure(io, listed.error());
  io.out << "\n";
  print_request_table(io.out, *listed, c.clock.now());
  AuditLog audit(*c.db, *c.key, c.clock);
  const AuditVerification verified = audit.verify();
  if (!verified.intact) return report_failure(io, "audit trail broken: " + verified.problem);
  io.out << "\naudit trail intact: " << verified.entries << " entries\n"
         << "open an export's index.html in a browser, e.g.: unzip -d /tmp/export " << dir << "/exports/<id>.zip\n"
         << "explore: build/dsr --config " << in_dir("dsr.json") << " list | show ID | plan ID | audit verify\n";
  return kExitOk;
}

}  // namespace dsr::cli
