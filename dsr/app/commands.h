#pragma once
// One function per `dsr` command. Each returns the process exit code and writes
// its output to out (data) and err (one line per failure, prefixed "dsr: ").

#include <iosfwd>
#include <string>

#include "dsr/common/result.h"

#include "dsr/app/cli_args.h"

namespace dsr::cli {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

int run_command(Args& args, Streams io);

int cmd_init(Args& args, Streams io);
int cmd_submit(Args& args, Streams io);
int cmd_list(Args& args, Streams io);
int cmd_show(Args& args, Streams io);
int cmd_verify(Args& args, Streams io);
int cmd_approve(Args& args, Streams io);
int cmd_reject(Args& args, Streams io);
int cmd_extend(Args& args, Streams io);
int cmd_cancel(Args& args, Streams io);
int cmd_audit_verify(Args& args, Streams io);
int cmd_audit_export(Args& args, Streams io);
int cmd_officer_add(Args& args, Streams io);
int cmd_officer_list(Args& args, Streams io);
int cmd_officer_email(Args& args, Streams io);
int cmd_demo(Args& args, Streams io);
int cmd_plan(Args& args, Streams io);
int cmd_run(Args& args, Streams io);
int cmd_batch(Args& args, Streams io);
int cmd_retype(Args& args, Streams io);
int cmd_mail_poll(Args& args, Streams io);
int cmd_bot_poll(Args& args, Streams io);
int cmd_bot_webhook(Args& args, Streams io);
int cmd_controller_add(Args& args, Streams io);
int cmd_controller_list(Args& args, Streams io);
int cmd_controller_key(Args& args, Streams io);
int cmd_controller_callbacks(Args& args, Streams io);
int cmd_serve(Args& args, Streams io);
int cmd_officer_token(Args& args, Streams io);

// What `dsr init` does, for reuse by `dsr demo`: config (default when missing), key,
// export folder, migrated store, sealed audit head. Idempotent.
Status initialise_installation(const std::string& config_path, std::ostream& out);

// Prints "dsr: message" (each line of a multi-line message prefixed) and returns code.
int report_failure(Streams io, const std::string& message, int code = 1);

}  // namespace dsr::cli
