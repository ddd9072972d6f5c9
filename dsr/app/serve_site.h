#pragma once
// Everything `dsr serve` runs in one process, assembled in one place: the officers'
// web pages and REST API, /healthz and /metrics, the OpenDSR and download endpoints
// (asked after our own routes, before a 404), and the scheduler with its jobs.

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "dsr/common/result.h"
#include "dsr/common/time.h"
#include "dsr/serve/options.h"
#include "dsr/serve/scheduler.h"

namespace dsr::cli {

struct SiteSettings {
  std::string config_path;
  std::optional<serve::ListenAddress> listen;  // overrides serve.listen
  std::ostream* log = nullptr;                 // JSON lines; required
  const Clock* clock = nullptr;                // tests pass their own; the system clock otherwise
  bool scheduler = true;                       // tests drive jobs themselves
};

class Site {
 public:
  // Loads the config, checks the store's schema version, loads the key and opens the
  // connections. Nothing listens yet.
  static Result<std::unique_ptr<Site>> open(const SiteSettings& settings);
  ~Site();

  // Starts listening, and the scheduler unless turned off.
  Status start();
  // Stops accepting, lets requests being handled finish, stops the scheduler after its
  // current job (a run in progress completes; later ones wait for the next start). Idempotent.
  void stop();

  unsigned port() const;
  // One round of the scheduled jobs on the caller's thread.
  void run_jobs_once();

  struct Parts;

 private:
  explicit Site(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace dsr::cli
