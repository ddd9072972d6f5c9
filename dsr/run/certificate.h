#pragma once
// The deletion certificate: per store and collection, what erasure did (rows deleted,
// masked, retained with their legal basis) and what verification found. It names the
// request and the subject's pseudonym only, never a value
// (schemas/deletion-certificate.schema.json).

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "dsr/run/erasure.h"
#include "dsr/state/request_store.h"

namespace dsr {

struct CertificateInput {
  const Request& request;
  const std::vector<CollectionErasure>& collections;
  TimePoint generated_at;
  std::string dsr_version;
};

Poco::JSON::Object::Ptr deletion_certificate(const CertificateInput& input);

// What erasing one collection did, as a run.step audit entry's detail (counts only).
Poco::JSON::Object::Ptr erasure_step_detail(const CollectionErasure& erased);

// Writes the certificate as canonical JSON to <dir>/<request id>.certificate.json
// (temporary name, fsync, rename; mode 0600) and returns its SHA-256.
Result<std::string> write_certificate(const std::string& dir, const std::string& request_id,
                                      const Poco::JSON::Object::Ptr& certificate);

struct CertificateFile {
  std::string request_id;
  Poco::JSON::Object::Ptr certificate;
};
// Several at once, as write_certificate each, with their fsyncs waiting together and
// one fsync of the folder; one result per file, in order.
std::vector<Result<std::string>> write_certificates(const std::string& dir, const std::vector<CertificateFile>& files);

}  // namespace dsr
