#pragma once
// The `serve` section of dsr.json: where the server listens and how it behaves.
// Read from Config::document (the section's schema is in schemas/config.schema.json).

#include <string>

#include "dsr/common/result.h"
#include "dsr/config/config.h"

namespace dsr::serve {

struct ListenAddress {
  std::string host = "127.0.0.1";
  unsigned port = 8080;  // 0 lets the system pick a free port (tests)
};

struct ServeOptions {
  ListenAddress listen;
  int session_idle_minutes = 30;      // a web session ends after this long without a request
  int batch_interval_minutes = 15;    // the scheduler's batch pass; 0 turns the scheduler off
  bool erasure_two_officers = false;  // an erasure needs the approval of two different officers
  std::string tls_certificate;        // PEM files, absolute; both empty means plain HTTP
  std::string tls_private_key;
  int threads = 16;  // HTTP worker threads
  bool tls() const { return !tls_certificate.empty(); }
};

// Defaults for what the section leaves out. Errors name the config file and pointer.
Result<ServeOptions> read_serve_options(const Config& config);

// "HOST:PORT" or "[v6]:PORT"; errors name `where`.
Result<ListenAddress> parse_listen_address(const std::string& text, const std::string& where);

}  // namespace dsr::serve
