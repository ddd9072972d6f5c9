// dsr audit verify | export

#include <Poco/File.h>
#include <Poco/JSON/Object.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/audit/audit_log.h"

namespace dsr::cli {

int cmd_audit_verify(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  AuditLog audit(*(*context)->db, *(*context)->key, (*context)->clock);
  const AuditVerification result = audit.verify();
  if (args.json()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("intact", result.intact);
    o->set("entries", static_cast<Poco::Int64>(result.entries));
    o->set("first_bad_entry",
           result.first_bad_seq ? Poco::Dynamic::Var(static_cast<Poco::Int64>(*result.first_bad_seq)) : Poco::Dynamic::Var());
    o->set("problem", result.problem);
    print_json(io.out, o);
  }
  if (!result.intact) {
    std::string message = "audit trail broken";
    if (result.first_bad_seq) message += " at entry " + std::to_string(*result.first_bad_seq);
    return report_failure(io, message + ": " + result.problem);
  }
  if (!args.json()) io.out << "audit trail intact: " << result.entries << " entries, head sealed\n";
  return kExitOk;
}

int cmd_audit_export(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--out"}, {}, 0, 0}); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  AuditLog audit(*(*context)->db, *(*context)->key, (*context)->clock);
  const auto out_path = args.value("--out");
  if (!out_path) {
    if (Status s = audit.export_jsonl(io.out); !s) return report_failure(io, s.error());
    return kExitOk;
  }
  // Written beside the target and renamed, so a reader never sees half a file.
  const std::string partial = *out_path + ".partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return report_failure(io, "--out " + *out_path + ": cannot create");
  ::close(fd);
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    Status s = audit.export_jsonl(file);
    file.flush();
    if (!s || !file) {
      std::remove(partial.c_str());
      return report_failure(io, s ? "--out " + *out_path + ": write failed" : s.error());
    }
  }
  if (std::rename(partial.c_str(), out_path->c_str()) != 0) {
    std::remove(partial.c_str());
    return report_failure(io, "--out " + *out_path + ": cannot rename into place");
  }
  return kExitOk;
}

}  // namespace dsr::cli
