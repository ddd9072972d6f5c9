#pragma once
// One-time codes that prove a mail request's From address. The code goes to the
// From address recorded at intake and nowhere else; only its HMAC under the key
// file is stored, with an expiry and a count of wrong attempts. A request enters
// the officer queue (awaiting_verification -> pending_approval) only when a valid
// code comes back, by a reply (intake) or by the link (`dsr serve` calls confirm_code).

#include <functional>
#include <string>
#include <vector>

#include "dsr/mail/mail_context.h"

namespace dsr::mail {

enum class ConfirmOutcome { confirmed, wrong_code, expired, attempts_exhausted, not_awaited };

std::string_view to_string(ConfirmOutcome outcome);

// A fresh code, "1234-5678", from the operating system's CSPRNG.
std::string new_code();

// The stored form of a code for a request.
std::string code_hash(const SubjectKey& key, const std::string& request_id, const std::string& code);

// Code-shaped words in a text ("12345678", "1234-5678", "1234 5678"), normalised
// to "1234-5678", at most `limit`, in order of appearance.
std::vector<std::string> codes_in(const std::string& text, std::size_t limit = 5);

// Checks candidate codes (one attempt, whatever their number) for a request.
// `record` runs inside the transaction that stores the outcome, with that outcome
// (intake records the message there, so a reply counts once however often it is fetched).
// Errors are failures of the store only; a wrong code is an outcome.
Result<ConfirmOutcome> confirm_codes(const MailContext& context, const std::string& request_id,
                                     const std::vector<std::string>& candidates,
                                     const std::function<Status(ConfirmOutcome)>& record = {});

// For the web link: one code typed or carried in the URL.
Result<ConfirmOutcome> confirm_code(const MailContext& context, const std::string& request_id,
                                    const std::string& code);

}  // namespace dsr::mail
