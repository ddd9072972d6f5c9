#include "dsr/mail/tls.h"

#include <Poco/Net/SSLManager.h>

#include <mutex>

namespace dsr::mail {

Poco::Net::Context::Ptr client_tls_context(const std::string& ca_file) {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", ca_file,
                                Poco::Net::Context::VERIFY_RELAXED, 9, ca_file.empty(),
                                "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
}

}  // namespace dsr::mail
