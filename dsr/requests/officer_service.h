#pragma once
// Registering officers: the name, a role, and an Argon2id hash of the password.
// Each registration is audited (the officer's name is the audit's actor vocabulary,
// not a data subject's identity).

#include <string>
#include <vector>

#include "dsr/audit/audit_log.h"
#include "dsr/state/officer_store.h"

namespace dsr {

class OfficerService {
 public:
  OfficerService(Database& db, const SubjectKey& key, const Clock& clock)
      : db_(db), clock_(clock), audit_(db, key, clock) {}

  // Fails if the name is taken or malformed, or the password breaks the policy.
  // `email` (normalised, may be empty) is where deadline reminders reach the officer.
  Status add(const std::string& name, OfficerRole role, const std::string& password, const std::string& actor,
             const std::string& email = "");

  Result<std::vector<Officer>> list();

  // Sets where deadline reminders reach the officer (`email` normalised), or removes
  // the address when `email` is empty. The audit entry says which, never the address.
  Status set_email(const std::string& name, const std::string& email, const std::string& actor);

  // Disables (or re-enables) an officer; audited. A disabled officer can neither log in
  // nor act. Fails for an unknown name.
  Status set_disabled(const std::string& name, bool disabled, const std::string& actor);

  // The officer when name and password match an enabled officer.
  Result<Officer> authenticate(const std::string& name, const std::string& password);

 private:
  Database& db_;
  const Clock& clock_;
  AuditLog audit_;
};

}  // namespace dsr
