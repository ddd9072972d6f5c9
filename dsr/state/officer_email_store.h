#pragma once
// Officers' addresses for deadline reminders (table officer_emails, migration 7).
// An address is the officer's personal data: it goes into mails to that officer and
// nowhere else (not into logs or audit entries).

#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

struct OfficerEmail {
  std::string name;
  std::string email;
};

class OfficerEmailStore {
 public:
  explicit OfficerEmailStore(Database& db) : db_(db) {}
  // Inserts or replaces the officer's address. Inside a transaction.
  void set(const std::string& name, const std::string& email, TimePoint at);
  // Removes the officer's address: no more reminder mails. Inside a transaction.
  void clear(const std::string& name);
  // Addresses of enabled officers who may act on requests (admin and officer roles):
  // auditors read only, so a deadline is not theirs to meet.
  std::vector<OfficerEmail> of_acting_officers();

 private:
  Database& db_;
};

}  // namespace dsr
