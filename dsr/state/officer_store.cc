#include "dsr/state/officer_store.h"

namespace dsr {

std::string_view to_string(OfficerRole role) {
  switch (role) {
    case OfficerRole::admin: return "admin";
    case OfficerRole::officer: return "officer";
    case OfficerRole::auditor: return "auditor";
  }
  return "?";
}

Result<OfficerRole> parse_officer_role(std::string_view text) {
  for (auto role : {OfficerRole::admin, OfficerRole::officer, OfficerRole::auditor}) {
    if (to_string(role) == text) return role;
  }
  return fail("unknown role (expected one of: admin, officer, auditor)");
}

Status check_officer_name(const std::string& name) {
  if (name.empty() || name.size() > 64 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@") != std::string::npos) {
    return fail("officer name: expected 1-64 letters, digits or _ . - @");
  }
  return Status::Ok();
}

namespace {

Officer officer_from_row(const soci::row& row) {
  Officer o;
  o.name = column_text(row, 0);
  if (auto role = parse_officer_role(column_text(row, 1))) o.role = *role;
  o.password_hash = column_text(row, 2);
  if (auto t = parse_utc(column_text(row, 3))) o.created_at = *t;
  o.disabled = column_int(row, 4) != 0;
  return o;
}

}  // namespace

void OfficerStore::insert(const Officer& o) {
  const std::string role(to_string(o.role)), created = format_utc(o.created_at);
  const long long disabled = o.disabled ? 1 : 0;
  db_.session() << "INSERT INTO officers (name, role, password_hash, created_at, disabled)"
                   " VALUES (:name, :role, :hash, :created, :disabled)",
      soci::use(o.name), soci::use(role), soci::use(o.password_hash), soci::use(created), soci::use(disabled);
}

std::optional<Officer> OfficerStore::find(const std::string& name) {
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT name, role, password_hash, created_at, disabled FROM officers"
                                " WHERE name = :name",
       soci::use(name));
  for (const auto& row : rows) return officer_from_row(row);
  return std::nullopt;
}

std::vector<Officer> OfficerStore::list() {
  std::vector<Officer> out;
  soci::rowset<soci::row> rows =
      (db_.session().prepare << "SELECT name, role, password_hash, created_at, disabled FROM officers ORDER BY name");
  for (const auto& row : rows) out.push_back(officer_from_row(row));
  return out;
}

void OfficerStore::set_disabled(const std::string& name, bool disabled) {
  const long long flag = disabled ? 1 : 0;
  db_.session() << "UPDATE officers SET disabled = :flag WHERE name = :name", soci::use(flag), soci::use(name);
}

}  // namespace dsr
