#include "dsr/run/certificate.h"

#include <Poco/JSON/Array.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

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

Poco::JSON::Object::Ptr erasure_step_detail(const CollectionErasure& erased) {
  Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
  detail->set("dataset", erased.dataset);
  detail->set("collection", erased.collection);
  detail->set("action", erased.action);
  detail->set("rows_deleted", static_cast<Poco::UInt64>(erased.rows_deleted));
  detail->set("rows_masked", static_cast<Poco::UInt64>(erased.rows_masked));
  detail->set("rows_retained", static_cast<Poco::UInt64>(erased.rows_retained));
  detail->set("largest_transaction", static_cast<Poco::UInt64>(erased.largest_transaction));
  return detail;
}

Result<std::string> write_certificate(const std::string& dir, const std::string& request_id,
                                      const Poco::JSON::Object::Ptr& certificate) {
  return std::move(write_certificates(dir, {{request_id, certificate}}).front());
}

std::vector<Result<std::string>> write_certificates(const std::string& dir, const std::vector<CertificateFile>& files) {
  struct Pending {
    std::string text, final_path, partial;
    int fd = -1;
    bool synced = false;
  };
  std::vector<Pending> pending(files.size());
  std::vector<Result<std::string>> results;
  for (std::size_t i = 0; i < files.size(); ++i) {
    Pending& p = pending[i];
    p.text = canonical_json(Poco::Dynamic::Var(files[i].certificate)) + "\n";
    p.final_path = dir + "/" + files[i].request_id + ".certificate.json";
    p.partial = dir + "/." + files[i].request_id + ".certificate.json.partial";
    p.fd = ::open(p.partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (p.fd >= 0 && ::write(p.fd, p.text.data(), p.text.size()) != static_cast<ssize_t>(p.text.size())) {
      ::close(p.fd);
      p.fd = -1;
      std::remove(p.partial.c_str());
    }
  }
  // The file system commits its journal once for fsyncs that wait at the same time,
  // so a group's certificates reach the disk together rather than one after another.
  const std::size_t threads = std::min<std::size_t>(8, pending.size());
  std::atomic<std::size_t> next{0};
  const auto sync_some = [&] {
    for (std::size_t i = next++; i < pending.size(); i = next++) {
      if (pending[i].fd >= 0) pending[i].synced = ::fsync(pending[i].fd) == 0;
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(sync_some);
  sync_some();
  for (auto& w : workers) w.join();
  bool renamed_any = false;
  for (auto& p : pending) {
    if (p.fd >= 0) ::close(p.fd);
    if (p.fd < 0 || !p.synced || std::rename(p.partial.c_str(), p.final_path.c_str()) != 0) {
      std::remove(p.partial.c_str());
      results.push_back(fail("certificate " + p.final_path + ": cannot write"));
      continue;
    }
    renamed_any = true;
    results.push_back(sha256_hex(p.text));
  }
  if (renamed_any) {
    if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }
  return results;
}

}  // namespace dsr
