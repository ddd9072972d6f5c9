// dsr officer add | list | email

#include <Poco/JSON/Array.h>

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/request_view.h"
#include "dsr/requests/officer_service.h"

namespace dsr::cli {

namespace {

// Reads one line without echo from the terminal.
std::string prompt_hidden(const char* question, Streams io) {
  io.err << question << std::flush;
  termios old_mode{};
  const bool tty = ::tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(io.in, line);
  if (tty) ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  io.err << "\n";
  return line;
}

}  // namespace

int cmd_officer_add(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {"--role", "--email"}, {}, 1, 1}); !s)
    return report_failure(io, s.error(), kExitUsage);
  const auto role_text = args.value("--role");
  if (!role_text) return report_failure(io, "--role admin|officer|auditor is required", kExitUsage);
  auto role = parse_officer_role(*role_text);
  if (!role) return report_failure(io, "--role: " + role.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  std::string email;
  if (auto raw = args.value("--email")) {
    auto normalised = (*context)->identities.normalise("email", *raw);
    if (!normalised) return report_failure(io, "--email: " + normalised.error(), kExitUsage);
    email = normalised->value;
  }

  std::string password;
  if (::isatty(STDIN_FILENO)) {
    password = prompt_hidden("password: ", io);
    if (prompt_hidden("again: ", io) != password) return report_failure(io, "the two passwords differ");
  } else {
    std::getline(io.in, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  OfficerService officers(*(*context)->db, *(*context)->key, (*context)->clock);
  if (Status s = officers.add(args.words()[0], *role, password, "cli", email); !s) return report_failure(io, s.error());
  io.out << "officer " << args.words()[0] << " added as " << *role_text << "\n";
  return kExitOk;
}

int cmd_officer_email(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{"--none"}, {}, {}, 1, 2}); !s) return report_failure(io, s.error(), kExitUsage);
  const bool none = args.flag("--none");
  if (none == (args.words().size() == 2)) {
    return report_failure(io, "officer email NAME ADDR, or officer email NAME --none", kExitUsage);
  }
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  std::string email;
  if (!none) {
    auto normalised = (*context)->identities.normalise("email", args.words()[1]);
    if (!normalised) return report_failure(io, "ADDR: " + normalised.error(), kExitUsage);
    email = normalised->value;
  }
  const std::string& name = args.words()[0];
  OfficerService officers(*(*context)->db, *(*context)->key, (*context)->clock);
  if (Status s = officers.set_email(name, email, "cli"); !s) return report_failure(io, s.error());
  io.out << "officer " << name << (none ? ": no address, no reminder mails" : ": reminders go to the new address")
         << "\n";
  return kExitOk;
}

int cmd_officer_list(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{}); !s) return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  OfficerService officers(*(*context)->db, *(*context)->key, (*context)->clock);
  auto list = officers.list();
  if (!list) return report_failure(io, list.error());
  if (args.json()) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& o : *list) {
      Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("name", o.name);
      entry->set("role", std::string(to_string(o.role)));
      entry->set("created_at", format_utc(o.created_at));
      entry->set("disabled", o.disabled);
      array->add(entry);
    }
    print_json(io.out, array);
  } else {
    for (const auto& o : *list) {
      io.out << o.name << "  " << to_string(o.role) << "  since " << format_utc(o.created_at)
             << (o.disabled ? "  disabled" : "") << "\n";
    }
  }
  return kExitOk;
}

}  // namespace dsr::cli
