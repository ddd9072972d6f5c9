#include "dsr/app/request_view.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdio>
#include <iomanip>

#include "dsr/model/masking.h"

namespace dsr::cli {

namespace {

std::string flags_of(const Request& r, TimePoint now) {
  std::string flags;
  const auto add = [&flags](const char* f) {
    if (!flags.empty()) flags += ",";
    flags += f;
  };
  if (is_overdue(r.status, r.due_at, now)) add("OVERDUE");
  if (r.extended_at) add("extended");
  if (!r.duplicate_of.empty()) add("duplicate");
  return flags.empty() ? "-" : flags;
}

}  // namespace

void print_request_table(std::ostream& out, const std::vector<Request>& requests, TimePoint now) {
  out << std::left << std::setw(37) << "ID" << std::setw(12) << "TYPE" << std::setw(22) << "STATUS" << std::setw(12)
      << "DUE" << std::setw(6) << "DAYS" << "FLAGS\n";
  for (const auto& r : requests) {
    const std::string days = is_terminal(r.status) ? "-" : std::to_string(days_until(r.due_at, now));
    out << std::left << std::setw(37) << r.id << std::setw(12) << to_string(r.type) << std::setw(22)
        << to_string(r.status) << std::setw(12) << format_utc(r.due_at).substr(0, 10) << std::setw(6) << days
        << flags_of(r, now) << "\n";
  }
  out << requests.size() << (requests.size() == 1 ? " request" : " requests") << "\n";
}

void print_request_detail(std::ostream& out, const Request& r, const std::vector<RequestEvent>& events,
                          TimePoint now) {
  out << "request      " << r.id << "\n"
      << "type         " << to_string(r.type) << "\n"
      << "status       " << to_string(r.status) << (r.status_reason.empty() ? "" : " (" + r.status_reason + ")")
      << "\n"
      << "regulation   " << to_string(r.regulation) << "\n"
      << "channel      " << r.channel << "\n"
      << "received     " << format_utc(r.received_at) << "\n"
      << "due          " << format_utc(r.due_at);
  if (!is_terminal(r.status)) {
    const long days = days_until(r.due_at, now);
    out << (days < 0 ? "  OVERDUE by " + std::to_string(-days) + " days" : "  (" + std::to_string(days) + " days left)");
  }
  out << "\n";
  if (r.extended_at) out << "extended     " << format_utc(*r.extended_at) << ": " << r.extension_reason << "\n";
  if (!r.duplicate_of.empty()) out << "duplicate of " << r.duplicate_of << "\n";
  if (!r.approved_by.empty()) out << "approved by  " << r.approved_by << "\n";
  out << "identities\n";
  for (const auto& i : r.identities) {
    out << "  " << std::left << std::setw(12) << i.kind << mask_identity({i.kind, i.value})
        << (i.proven ? "  (proven)" : "  (not proven)") << "\n";
  }
  out << "timeline\n";
  for (const auto& e : events) {
    out << "  " << format_utc(e.at) << "  " << std::left << std::setw(10) << e.kind << " " << e.actor;
    if (!e.from_status.empty() || !e.to_status.empty()) {
      out << "  " << (e.from_status.empty() ? "" : e.from_status + " -> ") << e.to_status;
    }
    if (!e.note.empty()) out << "  \"" << e.note << "\"";
    out << "\n";
  }
}

void print_json(std::ostream& out, const Poco::Dynamic::Var& value) {
  Poco::JSON::Stringifier::stringify(value, out, 2);
  out << "\n";
}

}  // namespace dsr::cli
