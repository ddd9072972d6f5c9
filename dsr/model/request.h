#pragma once
// The request lifecycle: types, statuses, the allowed transitions and deadlines.
//
//   received -> awaiting_verification -> pending_approval -> approved -> running -> completed | failed
//   received -> pending_approval          (identities already proven by the channel, e.g. Telegram)
//   received | awaiting_verification | pending_approval -> rejected | cancelled
//
// Anything else is an illegal transition.

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "dsr/common/result.h"
#include "dsr/common/time.h"

namespace dsr {

// unknown: a channel could not tell what the person asks for (an email without a clear
// keyword); an officer retypes it before it can be approved or run.
enum class RequestType { access, portability, erasure, objection, unknown };
enum class RequestStatus {
  received,
  awaiting_verification,
  pending_approval,
  approved,
  running,
  completed,
  failed,
  rejected,
  cancelled,
};
enum class Regulation { gdpr, ccpa };

std::string_view to_string(RequestType type);
std::string_view to_string(RequestStatus status);
std::string_view to_string(Regulation regulation);

std::ostream& operator<<(std::ostream& out, RequestType type);
std::ostream& operator<<(std::ostream& out, RequestStatus status);
std::ostream& operator<<(std::ostream& out, Regulation regulation);

Result<RequestType> parse_request_type(std::string_view text);
Result<RequestStatus> parse_request_status(std::string_view text);
Result<Regulation> parse_regulation(std::string_view text);

bool can_transition(RequestStatus from, RequestStatus to);

// Before approval: the states a request may still be rejected or cancelled from.
bool is_waiting(RequestStatus status);
// No further transition is possible.
bool is_terminal(RequestStatus status);

// Deadlines count from receipt (GDPR Art. 12(3); CCPA §7021): one month or 45 days,
// extendable once by two months or 45 days more.
TimePoint initial_due(Regulation regulation, TimePoint received_at);
TimePoint extended_due(Regulation regulation, TimePoint received_at);

// Whole days until `due`, rounded away from zero: due in 29 days and 23 hours shows 30,
// overdue by an hour shows -1.
long days_until(TimePoint due, TimePoint now);
// Still open after its deadline.
bool is_overdue(RequestStatus status, TimePoint due, TimePoint now);

}  // namespace dsr
