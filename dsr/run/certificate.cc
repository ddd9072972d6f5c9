#include "dsr/run/certificate.h"

#include <Poco/JSON/Array.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "dsr/common/canonical_json.h"
#include "dsr/common/crypto.h"

namespace dsr {

Poco::JSON::Object::Ptr deletion_certificate(const CertificateInput& input) {
  Poco::JSON::Object::Ptr certificate = new Poco::JSON::Object;
  certificate->set("certificate_version", 1);
  certificate->set("request_id", input.request.id);
  certificate->set("request_type", std::string(to_string(input.request.type)));
  certificate->set("subject", input.request.subject);
  certificate->set("received_at", format_utc(input.request.received_at));
  certificate->set("generated_at", format_utc(input.generated_at));
  certificate->set("dsr_version", input.dsr_version);

  std::map<std::pair<std::string, std::string>, Poco::JSON::Array::Ptr> stores;
  bool passed = true;
  std::uint64_t deleted = 0, masked = 0, retained = 0;
  for (const auto& c : input.collections) {
    Poco::JSON::Object::Ptr entry = new Poco::JSON::Object;
    entry->set("collection", c.collection);
    entry->set("action", c.action);
    if (c.action == "retain") entry->set("legal_basis", c.basis);
    Poco::JSON::Array::Ptr fields = new Poco::JSON::Array;
    if (c.action != "delete") {
      for (const auto& f : c.masked_fields) fields->add(f);
    }
    entry->set("masked_fields", fields);
    entry->set("rows_deleted", static_cast<Poco::UInt64>(c.rows_deleted));
    entry->set("rows_masked", static_cast<Poco::UInt64>(c.rows_masked));
    entry->set("rows_retained", static_cast<Poco::UInt64>(c.rows_retained));
    Poco::JSON::Object::Ptr verification = new Poco::JSON::Object;
    verification->set("passed", c.verified);
    verification->set("residue_rows", static_cast<Poco::UInt64>(c.residue));
    entry->set("verification", verification);
    auto& list = stores[{c.dataset, c.connector}];
    if (!list) list = new Poco::JSON::Array;
    list->add(entry);
    passed = passed && c.verified;
    deleted += c.rows_deleted;
    masked += c.rows_masked;
    retained += c.rows_retained;
  }
  Poco::JSON::Array::Ptr store_list = new Poco::JSON::Array;
  for (const auto& [key, collections] : stores) {
    Poco::JSON::Object::Ptr store = new Poco::JSON::Object;
    store->set("dataset", key.first);
    store->set("connector", key.second);
    store->set("collections", collections);
    store_list->add(store);
  }
  certificate->set("stores", store_list);
  Poco::JSON::Object::Ptr totals = new Poco::JSON::Object;
  totals->set("rows_deleted", static_cast<Poco::UInt64>(deleted));
  totals->set("rows_masked", static_cast<Poco::UInt64>(masked));
  totals->set("rows_retained", static_cast<Poco::UInt64>(retained));
  certificate->set("totals", totals);
  certificate->set("verification_passed", passed);
  return certificate;
}

Result<std::string> write_certificate(const std::string& dir, const std::string& request_id,
                                      const Poco::JSON::Object::Ptr& certificate) {
  const std::string text = canonical_json(Poco::Dynamic::Var(certificate)) + "\n";
  const std::string final_path = dir + "/" + request_id + ".certificate.json";
  const std::string partial = dir + "/." + request_id + ".certificate.json.partial";
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail("certificate " + final_path + ": cannot create: " + std::strerror(errno));
  const bool written =
      ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(partial.c_str(), final_path.c_str()) != 0) {
    std::remove(partial.c_str());
    return fail("certificate " + final_path + ": cannot write");
  }
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return sha256_hex(text);
}

}  // namespace dsr
