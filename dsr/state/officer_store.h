#pragma once
// Rows of the officers table. Passwords are stored only as Argon2id hashes
// (see dsr/requests/password.h); this layer never sees a password.

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/time.h"
#include "dsr/state/database.h"

namespace dsr {

enum class OfficerRole { admin, officer, auditor };

std::string_view to_string(OfficerRole role);
Result<OfficerRole> parse_officer_role(std::string_view text);

// Officer names appear in audit entries and URLs: 1-64 of [A-Za-z0-9_.-@].
Status check_officer_name(const std::string& name);

struct Officer {
  std::string name;
  OfficerRole role = OfficerRole::auditor;
  std::string password_hash;
  TimePoint created_at{};
  bool disabled = false;
};

class OfficerStore {
 public:
  explicit OfficerStore(Database& db) : db_(db) {}
  void insert(const Officer& officer);
  std::optional<Officer> find(const std::string& name);
  std::vector<Officer> list();
  void set_disabled(const std::string& name, bool disabled);

 private:
  Database& db_;
};

}  // namespace dsr
