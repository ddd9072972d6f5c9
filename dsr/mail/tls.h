#pragma once
// The TLS client context for POP3 and SMTP: certificates are always checked,
// against ca_file when given, else the system's trust store.

#include <Poco/Net/Context.h>

#include <string>

namespace dsr::mail {

Poco::Net::Context::Ptr client_tls_context(const std::string& ca_file);

}  // namespace dsr::mail
