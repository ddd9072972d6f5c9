#pragma once
// GET /download/<token>: hands out a request's export ZIP behind an unguessable,
// expiring, optionally single-use token (see links.h). For any other path
// make_download_handler returns nullptr so the caller tries the next one.

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <functional>
#include <memory>

#include "dsr/audit/subject_key.h"
#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/config/config.h"
#include "dsr/http/store_access.h"
#include "dsr/state/database.h"

namespace dsr::downloads {

using http::LendDatabase;
using http::OpenDatabase;

// Owned by the server and outliving every handler; only read, so shared by all threads.
struct HttpContext {
  const Config& config;
  OpenDatabase open_database;
  const SubjectKey& key;
  const Clock& clock;
  LendDatabase lend_database = {};  // used when set; open_database otherwise
};

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_download_handler(const Poco::Net::HTTPServerRequest& request,
                                                                     const HttpContext& context);

}  // namespace dsr::downloads
