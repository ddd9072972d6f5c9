#pragma once
// OpenDSR v1 over HTTP: the entry point the server's request handler factory asks
// first. Paths under /opendsr/v1/ (and the processor certificate) are ours; for any
// other path make_opendsr_handler returns nullptr so the caller tries the next one.
//
// Routes:
//   GET    /opendsr/v1/discovery
//   GET    /opendsr/v1/processor-certificate.pem   (the public key callbacks are signed with)
//   POST   /opendsr/v1/requests                    (Authorization: Bearer <controller API key>)
//   GET    /opendsr/v1/requests/{subject_request_id}
//   DELETE /opendsr/v1/requests/{subject_request_id}

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <functional>
#include <memory>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/model/identity.h"
#include "dsr/http/store_access.h"
#include "dsr/state/database.h"

namespace dsr::opendsr {

using http::LendDatabase;
using http::OpenDatabase;

// Everything the handlers need; owned by the server and outliving every handler.
// The referenced objects are only read, so one context serves all threads.
struct HttpContext {
  const Config& config;
  OpenDatabase open_database;
  const SubjectKey& key;
  const Clock& clock;
  const IdentityNormaliser& identities;
  LendDatabase lend_database = {};  // used when set; open_database otherwise
};

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_opendsr_handler(const Poco::Net::HTTPServerRequest& request,
                                                                    const HttpContext& context);

}  // namespace dsr::opendsr
