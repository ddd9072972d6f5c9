#include "dsr/export/names.h"

#include "dsr/common/text.h"

namespace dsr::export_names {

namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_name_start(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '_'; }

}  // namespace

Status check_request_id(std::string_view id) {
  bool ok = !id.empty() && id.size() <= 64 && is_lower_alnum(id.front());
  for (char c : id) ok = ok && (is_lower_alnum(c) || c == '-');
  if (!ok) {
    return fail("request id " + quote_for_message(id) +
                " cannot name an export file: expected 1-64 of a-z 0-9 '-', not starting with '-'");
  }
  return Status::Ok();
}

Status check_path_name(std::string_view what, std::string_view name) {
  // A trailing '.' is dropped by Windows when unpacking, and would put ".." into
  // the entry name "<collection>.json".
  bool ok = !name.empty() && name.size() <= 64 && is_name_start(name.front()) && name.back() != '.' &&
            name.find("..") == std::string_view::npos;
  for (char c : name) ok = ok && (is_name_start(c) || c == '.' || c == '-');
  if (!ok) {
    return fail(std::string(what) + " name " + quote_for_message(name) +
                " cannot be used in export file names: expected 1-64 of A-Z a-z 0-9 _ . -, "
                "starting with a letter, digit or _, not ending with '.', without \"..\"");
  }
  return Status::Ok();
}

Status check_column_category(std::string_view category) {
  if (category.empty() || category == "provided" || category == "observed" || category == "inferred") {
    return Status::Ok();
  }
  return fail("column category " + quote_for_message(category) +
              " is not one of provided, observed, inferred or empty");
}

Status check_request_type(std::string_view type) {
  if (type == "access" || type == "portability") return Status::Ok();
  return fail("request type " + quote_for_message(type) +
              " has no export package: only access and portability requests do");
}

std::string collection_key(std::string_view dataset, std::string_view collection) {
  // '/' cannot occur in either name, so the key is unambiguous.
  return to_lower_ascii(dataset) + "/" + to_lower_ascii(collection);
}

std::string data_path(std::string_view dataset, std::string_view collection, std::string_view extension) {
  std::string path = "data/";
  path.append(dataset).append("/").append(collection).append(".").append(extension);
  return path;
}

}  // namespace dsr::export_names
