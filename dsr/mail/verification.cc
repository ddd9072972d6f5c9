#include "dsr/mail/verification.h"

#include <algorithm>
#include <cctype>

#include "dsr/common/crypto.h"
#include "dsr/mail/mail_store.h"
#include "dsr/requests/request_service.h"

namespace dsr::mail {

namespace {

constexpr const char* kActor = "mail:code";

std::string normalise_code(const std::string& digits) {
  return digits.substr(0, 4) + "-" + digits.substr(4, 4);
}

}  // namespace

std::string_view to_string(ConfirmOutcome outcome) {
  switch (outcome) {
    case ConfirmOutcome::confirmed:
      return "confirmed";
    case ConfirmOutcome::wrong_code:
      return "wrong_code";
    case ConfirmOutcome::expired:
      return "expired";
    case ConfirmOutcome::attempts_exhausted:
      return "attempts_exhausted";
    case ConfirmOutcome::not_awaited:
      return "not_awaited";
  }
  return "?";
}

std::string new_code() {
  // 8 digits: 10^8 codes against at most max_attempts guesses.
  const std::string bytes = random_bytes(8);
  std::string digits;
  for (unsigned char b : bytes)
    digits += static_cast<char>('0' + b % 10);  // bias of 6/256 per digit is harmless here
  return normalise_code(digits);
}

std::string code_hash(const SubjectKey& key, const std::string& request_id, const std::string& code) {
  return key.seal("mail-code\n" + request_id + "\n" + code);
}

std::vector<std::string> codes_in(const std::string& text, std::size_t limit) {
  std::vector<std::string> out;
  std::size_t i = 0;
  const auto digit = [&](std::size_t at) {
    return at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]));
  };
  while (i < text.size() && out.size() < limit) {
    // Not part of a longer word, number or identifier (a request id's hex groups, a date).
    const auto joined = [&](std::size_t at) {
      return at < text.size() && (std::isalnum(static_cast<unsigned char>(text[at])) || text[at] == '-');
    };
    if (!digit(i) || (i > 0 && joined(i - 1))) {
      ++i;
      continue;
    }
    std::string digits;
    std::size_t j = i;
    while (j < text.size() && digits.size() < 9) {
      if (digit(j)) {
        digits += text[j];
      } else if (digits.size() == 4 && (text[j] == '-' || text[j] == ' ') && digit(j + 1)) {
        // the group separator of "1234-5678"
      } else {
        break;
      }
      ++j;
    }
    const bool bounded = !joined(j);
    if (digits.size() == 8 && bounded) {
      const std::string code = normalise_code(digits);
      if (std::find(out.begin(), out.end(), code) == out.end()) out.push_back(code);
    }
    i = j > i ? j : i + 1;
  }
  return out;
}

Result<ConfirmOutcome> confirm_codes(const MailContext& context, const std::string& request_id,
                                     const std::vector<std::string>& candidates,
                                     const std::function<Status(ConfirmOutcome)>& record) {
  if (Status s = check_request_id(request_id); !s) return s.take_error();
  ConfirmOutcome outcome = ConfirmOutcome::not_awaited;
  bool matched = false;
  std::string matched_hash;
  Status checked = context.db.in_transaction([&]() -> Status {
    MailStore store(context.db);
    auto verification = store.find_verification(request_id, true);
    const TimePoint now = context.clock.now();
    if (verification && verification->state == "exhausted") {
      outcome = ConfirmOutcome::attempts_exhausted;
    } else if (!verification || verification->state != "pending" || verification->code_hash.empty()) {
      outcome = ConfirmOutcome::not_awaited;
    } else if (verification->attempts >= context.config.max_attempts) {
      outcome = ConfirmOutcome::attempts_exhausted;
    } else if (verification->expires_at && now > *verification->expires_at) {
      outcome = ConfirmOutcome::expired;
    } else {
      for (const auto& candidate : candidates) {
        if (constant_time_equal(code_hash(context.key, request_id, candidate), verification->code_hash)) {
          matched = true;
          matched_hash = verification->code_hash;
        }
      }
      if (matched) return Status::Ok();  // confirmed below, in the request's own transaction
      const long long attempts = verification->attempts + 1;
      store.record_attempt(request_id, attempts,
                           attempts >= context.config.max_attempts ? "exhausted" : "pending");
      outcome = ConfirmOutcome::wrong_code;
    }
    return record ? record(outcome) : Status::Ok();
  });
  if (!checked) return checked.take_error();
  if (!matched) return outcome;

  RequestService requests(context.db, context.key, context.clock);
  Status proven = requests.prove_identities(request_id, kActor, "one-time code returned", [&]() -> Status {
    MailStore store(context.db);
    auto verification = store.find_verification(request_id, true);
    // Another confirmation may have won the race since the check above.
    if (!verification || verification->state != "pending" || verification->code_hash != matched_hash) {
      return fail("verification of request " + request_id + ": no longer pending");
    }
    store.confirm(request_id, context.clock.now());
    return record ? record(ConfirmOutcome::confirmed) : Status::Ok();
  });
  if (proven) return ConfirmOutcome::confirmed;
  // The request left awaiting_verification meanwhile (an officer verified, cancelled or rejected it).
  Status noted =
      context.db.in_transaction([&] { return record ? record(ConfirmOutcome::not_awaited) : Status::Ok(); });
  if (!noted) return noted.take_error();
  return ConfirmOutcome::not_awaited;
}

Result<ConfirmOutcome> confirm_code(const MailContext& context, const std::string& request_id,
                                    const std::string& code) {
  const auto codes = codes_in(code, 1);
  if (codes.empty()) {
    // Not code-shaped: still one attempt, so typing garbage is no free probe.
    return confirm_codes(context, request_id, {std::string("0000-0000x")});
  }
  return confirm_codes(context, request_id, codes);
}

}  // namespace dsr::mail
