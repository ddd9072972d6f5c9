// The dsr command line. One catch at the top: whatever escapes a command becomes a
// one-line message and exit code 1, never a crash with a half-written store.

#include <iostream>
#include <map>
#include <sstream>

#include "dsr/app/commands.h"

namespace dsr::cli {

namespace {

constexpr const char* kUsage =
    "usage: dsr [--config FILE] [--json] <command> [options]\n"
    "\n"
    "commands:\n"
    "  init                                   create config (if missing), key, export folder, state store\n"
    "  demo [--dir DIR]                       build a sample installation and walk a request through it\n"
    "  submit --type TYPE --identity KIND=VALUE [--identity ...] [--regulation gdpr|ccpa]\n"
    "         [--verified] [--received TIME] [--channel cli|letter|phone|web] [--officer NAME]\n"
    "  list [--status S] [--type T] [--channel C] [--overdue] [--due-within DAYS]\n"
    "  show ID\n"
    "  verify ID --officer NAME [--note TEXT]\n"
    "  approve ID --officer NAME [--note TEXT]\n"
    "  reject ID --officer NAME --reason TEXT\n"
    "  extend ID --officer NAME --reason TEXT\n"
    "  cancel ID [--reason TEXT]\n"
    "  plan ID | plan --identity KIND=VALUE [--identity ...]\n"
    "                                         the traversal of every store, its queries, unindexed fields\n"
    "  run ID                                 execute one approved request (access, portability, erasure)\n"
    "  batch                                  execute every approved request; exit 1 if any failed\n"
    "  audit verify\n"
    "  audit export [--out FILE]\n"
    "  officer add NAME --role admin|officer|auditor [--email ADDR]   (password from the prompt or one line of stdin; ADDR gets deadline reminders)\n"
    "  officer list\n"
    "  officer email NAME ADDR | officer email NAME --none   where deadline reminders reach the officer\n"
    "  retype ID --type TYPE --officer NAME [--note TEXT]   correct a waiting request's type (unknown ones must be)\n"
    "  mail poll [--no-send]                  one pass over the mailbox, then send the mails that are due\n"
    "  bot poll [--once]                      the Telegram bot by long polling (--once: one pass, no waiting)\n"
    "  bot webhook                            register the configured webhook URL and secret with Telegram\n"
    "  controller add NAME --callback-domain DOMAIN   an OpenDSR controller; prints its API key once\n"
    "  controller list\n"
    "  controller key                         create the processor key if missing; print its public half\n"
    "  controller callbacks                   send due OpenDSR status callbacks once (exit 1 if any failed)\n"
    "  officer token NAME                     a bearer token for the REST API (shown once)\n"
    "  serve [--listen HOST:PORT] [--daemon [--pid-file FILE]] [--log-file FILE]\n"
    "                                         the officers' web queue, REST API, metrics and scheduler\n"
    "\n"
    "types: access, portability, erasure, objection; identity kinds: email, phone, telegram_id, username\n"
    "and the custom kinds of the config. Exit codes: 0 success, 1 failure, 2 usage error.\n";

}  // namespace

int report_failure(Streams io, const std::string& message, int code) {
  std::istringstream lines(message);
  std::string line;
  while (std::getline(lines, line)) io.err << "dsr: " << line << "\n";
  if (code == 2) io.err << "dsr: see `dsr help`\n";
  return code;
}

int run_command(Args& args, Streams io) {
  using Command = int (*)(Args&, Streams);
  static const std::map<std::string, Command> commands = {
      {"init", cmd_init},
      {"demo", cmd_demo},
      {"plan", cmd_plan},
      {"run", cmd_run},
      {"batch", cmd_batch},
      {"submit", cmd_submit},
      {"list", cmd_list},
      {"show", cmd_show},
      {"verify", cmd_verify},
      {"approve", cmd_approve},
      {"reject", cmd_reject},
      {"extend", cmd_extend},
      {"cancel", cmd_cancel},
      {"audit verify", cmd_audit_verify},
      {"audit export", cmd_audit_export},
      {"officer add", cmd_officer_add},
      {"officer list", cmd_officer_list},
      {"officer email", cmd_officer_email},
      {"retype", cmd_retype},
      {"mail poll", cmd_mail_poll},
      {"bot poll", cmd_bot_poll},
      {"bot webhook", cmd_bot_webhook},
      {"controller add", cmd_controller_add},
      {"controller list", cmd_controller_list},
      {"controller key", cmd_controller_key},
      {"controller callbacks", cmd_controller_callbacks},
      {"officer token", cmd_officer_token},
      {"serve", cmd_serve},
  };
  if (args.command() == "help") {
    io.out << kUsage;
    return 0;
  }
  auto it = commands.find(args.command());
  if (it == commands.end()) return report_failure(io, "unknown command '" + args.command() + "'", 2);
  return it->second(args, io);
}

}  // namespace dsr::cli

int main(int argc, char** argv) {
  using namespace dsr::cli;
  Streams io{std::cin, std::cout, std::cerr};
  try {
    auto args = Args::split(argc, argv);
    if (!args) return report_failure(io, args.error(), 2);
    const int code = run_command(*args, io);
    std::cout.flush();
    return code;
  } catch (const std::exception& e) {
    return report_failure(io, std::string("unexpected error: ") + e.what(), 1);
  }
}
