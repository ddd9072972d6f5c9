// dsr demo: a sample installation on the embedded SQLite default, and one request
// walked through its lifecycle, so a newcomer sees dsr work end to end.

#include <Poco/File.h>
#include <Poco/Path.h>

#include <fstream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/audit/audit_log.h"
#include "dsr/common/crypto.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"

namespace dsr::cli {

namespace {

// Marks a folder as made by `dsr demo`, so a rerun may replace it and nothing else.
constexpr const char* kMarker = ".dsr-demo";

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

}  // namespace

int cmd_demo(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--dir"}, {}, 0, 0}); !s) return report_failure(io, s.error(), kExitUsage);
  const std::string dir = Poco::Path(args.value("--dir").value_or("dsr-demo")).absolute().toString();
  if (Status s = prepare_folder(dir); !s) return report_failure(io, s.error());
  const std::string config_path = Poco::Path(dir, "dsr.json").toString();
  if (Status s = initialise_installation(config_path, io.out); !s) return report_failure(io, s.error());

  auto context = open_context(config_path);
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  OfficerService officers(*c.db, *c.key, c.clock);
  // The demo officer's password is random and shown nowhere: the demo acts through the CLI.
  if (Status s = officers.add("demo-officer", OfficerRole::officer, to_hex(random_bytes(16)), "demo"); !s) {
    return report_failure(io, s.error());
  }
  RequestService requests(*c.db, *c.key, c.clock);
  SubmitInput input;
  input.type = RequestType::access;
  input.channel = "cli";
  input.actor = "demo";
  input.identities_proven = true;
  for (const char* text : {"email=Jane.Doe@Example.com", "telegram_id=123456789"}) {
    auto identity = c.identities.parse_assignment(text);
    if (!identity) return report_failure(io, identity.error());
    input.identities.push_back(*identity);
  }
  auto submitted = requests.submit(input);
  if (!submitted) return report_failure(io, submitted.error());
  io.out << "submitted access request " << submitted->id << " (due " << format_utc(submitted->due_at) << ")\n";
  if (Status s = requests.approve(submitted->id, "demo-officer", "identity proven by Telegram"); !s) {
    return report_failure(io, s.error());
  }
  io.out << "approved by demo-officer\n\n";
  auto listed = requests.list({});
  if (!listed) return report_failure(io, listed.error());
  print_request_table(io.out, *listed, c.clock.now());
  AuditLog audit(*c.db, *c.key, c.clock);
  const AuditVerification verified = audit.verify();
  if (!verified.intact) return report_failure(io, "audit trail broken: " + verified.problem);
  io.out << "\naudit trail intact: " << verified.entries << " entries\n"
         << "demo installation: " << dir << "\n"
         << "try: build/dsr --config " << config_path << " show " << submitted->id << "\n";
  return kExitOk;
}

}  // namespace dsr::cli
