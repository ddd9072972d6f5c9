#include "dsr/model/request.h"

#include <array>
#include <ostream>
#include <utility>

namespace dsr {

namespace {

constexpr std::array<std::pair<RequestType, std::string_view>, 5> kTypes{{
    {RequestType::access, "access"},
    {RequestType::portability, "portability"},
    {RequestType::erasure, "erasure"},
    {RequestType::objection, "objection"},
    {RequestType::unknown, "unknown"},
}};

constexpr std::array<std::pair<RequestStatus, std::string_view>, 9> kStatuses{{
    {RequestStatus::received, "received"},
    {RequestStatus::awaiting_verification, "awaiting_verification"},
    {RequestStatus::pending_approval, "pending_approval"},
    {RequestStatus::approved, "approved"},
    {RequestStatus::running, "running"},
    {RequestStatus::completed, "completed"},
    {RequestStatus::failed, "failed"},
    {RequestStatus::rejected, "rejected"},
    {RequestStatus::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<Regulation, std::string_view>, 2> kRegulations{{
    {Regulation::gdpr, "gdpr"},
    {Regulation::ccpa, "ccpa"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <typename Enum, std::size_t N>
Result<Enum> parse_from(const std::array<std::pair<Enum, std::string_view>, N>& table, std::string_view text,
                        std::string_view what) {
  std::string known;
  for (const auto& [e, name] : table) {
    if (name == text) return e;
    known += known.empty() ? "" : ", ";
    known += name;
  }
  return fail("unknown " + std::string(what) + " (expected one of: " + known + ")");
}

struct Transition {
  RequestStatus from;
  RequestStatus to;
};

constexpr std::array<Transition, 14> kTransitions{{
    {RequestStatus::received, RequestStatus::awaiting_verification},
    {RequestStatus::received, RequestStatus::pending_approval},
    {RequestStatus::received, RequestStatus::rejected},
    {RequestStatus::received, RequestStatus::cancelled},
    {RequestStatus::awaiting_verification, RequestStatus::pending_approval},
    {RequestStatus::awaiting_verification, RequestStatus::rejected},
    {RequestStatus::awaiting_verification, RequestStatus::cancelled},
    {RequestStatus::pending_approval, RequestStatus::approved},
    {RequestStatus::pending_approval, RequestStatus::rejected},
    {RequestStatus::pending_approval, RequestStatus::cancelled},
    {RequestStatus::approved, RequestStatus::running},
    {RequestStatus::running, RequestStatus::completed},
    {RequestStatus::running, RequestStatus::failed},
    // A run whose worker died is handed back to the queue for another worker.
    {RequestStatus::running, RequestStatus::approved},
}};

}  // namespace

std::string_view to_string(RequestType type) { return name_of(kTypes, type); }
std::string_view to_string(RequestStatus status) { return name_of(kStatuses, status); }
std::string_view to_string(Regulation regulation) { return name_of(kRegulations, regulation); }

std::ostream& operator<<(std::ostream& out, RequestType type) { return out << to_string(type); }
std::ostream& operator<<(std::ostream& out, RequestStatus status) { return out << to_string(status); }
std::ostream& operator<<(std::ostream& out, Regulation regulation) { return out << to_string(regulation); }

Result<RequestType> parse_request_type(std::string_view text) { return parse_from(kTypes, text, "request type"); }
Result<RequestStatus> parse_request_status(std::string_view text) {
  return parse_from(kStatuses, text, "request status");
}
Result<Regulation> parse_regulation(std::string_view text) { return parse_from(kRegulations, text, "regulation"); }

bool can_transition(RequestStatus from, RequestStatus to) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.to == to) return true;
  }
  return false;
}

bool is_waiting(RequestStatus status) {
  return status == RequestStatus::received || status == RequestStatus::awaiting_verification ||
         status == RequestStatus::pending_approval;
}

bool is_terminal(RequestStatus status) {
  return status == RequestStatus::completed || status == RequestStatus::failed ||
         status == RequestStatus::rejected || status == RequestStatus::cancelled;
}

TimePoint initial_due(Regulation regulation, TimePoint received_at) {
  return regulation == Regulation::gdpr ? add_months(received_at, 1) : add_days(received_at, 45);
}

TimePoint extended_due(Regulation regulation, TimePoint received_at) {
  return regulation == Regulation::gdpr ? add_months(received_at, 3) : add_days(received_at, 90);
}

long days_until(TimePoint due, TimePoint now) {
  const auto seconds = (due - now).count();
  return static_cast<long>(seconds >= 0 ? (seconds + 86399) / 86400 : -((-seconds + 86399) / 86400));
}

bool is_overdue(RequestStatus status, TimePoint due, TimePoint now) {
  return !is_terminal(status) && due < now;
}

}  // namespace dsr
