#pragma once
// dsr serve's site inside the test process: on a free loopback port, logging into the
// test's stream, on the test's clock, with the scheduler off so the test runs jobs itself.

#include <ostream>
#include <string>

#include "dsr/app/serve_site.h"

namespace dsr::test {

inline cli::SiteSettings in_process_site(const std::string& config_path, std::ostream& log, const Clock& clock) {
  cli::SiteSettings settings;
  settings.config_path = config_path;
  settings.listen = serve::ListenAddress{"127.0.0.1", 0};
  settings.log = &log;
  settings.clock = &clock;
  settings.scheduler = false;
  return settings;
}

}  // namespace dsr::test
