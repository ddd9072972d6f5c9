#pragma once
// Taking requests out of the mailbox. Each message is stored first (a request, a
// verification attempt, or a note of why it was ignored or refused, with its
// Message-ID's hash) and deleted from the mailbox only after that commit. A message
// met again (the mailbox went away before its deletion took effect) is recognised
// by that hash and only deleted, so every message is handled exactly once.

#include <functional>
#include <string>

#include "dsr/mail/mail_context.h"
#include "dsr/mail/mailbox.h"

namespace dsr::mail {

struct PollOptions {
  // Called after each message's outcome is committed and before its deletion is
  // asked for, with the number handled so far in this pass (tests stop the server here).
  std::function<void(int handled)> after_commit;
};

struct PollReport {
  int fetched = 0;
  int requests = 0;       // new requests (awaiting verification, or duplicates cancelled)
  int verifications = 0;  // replies carrying a code (whatever their outcome)
  int ignored = 0;        // automated mail
  int rejected = 0;       // unreadable or unusable mail, noted
  int repeated = 0;       // already handled in an earlier pass; deleted now
  std::string error;      // empty when the pass ran to the end
  bool ok() const { return error.empty(); }
};

// One pass over the mailbox: every message listed at the start. Stops at the first
// mailbox or store failure (error set); what was committed until then stays.
PollReport poll_once(const MailContext& context, Mailbox& mailbox, const PollOptions& options = {});

// Opens the configured POP3 mailbox and runs one pass.
PollReport poll_once(const MailContext& context, const PollOptions& options = {});

}  // namespace dsr::mail
