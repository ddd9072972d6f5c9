#pragma once
// What the mail functions share: the store, the key, the clock and the settings.
// The caller owns everything and keeps it alive for the call.

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/mail/mail_config.h"
#include "dsr/model/identity.h"
#include "dsr/model/request.h"
#include "dsr/state/database.h"

namespace dsr::mail {

// The channel name on requests that came by mail.
inline constexpr const char* kChannel = "email";

struct MailContext {
  Database& db;
  const SubjectKey& key;
  const Clock& clock;
  const MailConfig& config;
  const IdentityNormaliser& identities;
  Regulation regulation = Regulation::gdpr;
};

}  // namespace dsr::mail
