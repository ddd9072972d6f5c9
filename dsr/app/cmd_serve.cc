// dsr serve [--listen HOST:PORT] [--daemon --pid-file FILE] [--log-file FILE]
// dsr officer token NAME

#include <Poco/Path.h>
#include <Poco/Util/ServerApplication.h>

#include <signal.h>

#include <fstream>
#include <iostream>

#include "dsr/app/cli_context.h"
#include "dsr/app/commands.h"
#include "dsr/app/serve_site.h"
#include "dsr/state/officer_store.h"
#include "dsr/web/credentials.h"

namespace dsr::cli {

namespace {

// Poco's ServerApplication brings the daemon machinery: --daemon (fork, setsid, chdir
// to /, standard streams to /dev/null), the pid file, and waiting for SIGINT/SIGTERM.
class ServeApplication : public Poco::Util::ServerApplication {
 public:
  ServeApplication(SiteSettings settings, std::string log_file)
      : settings_(std::move(settings)), log_file_(std::move(log_file)) {}

 protected:
  int main(const std::vector<std::string>&) override {
    // Every thread started from here inherits the mask, so the signals reach only
    // waitForTerminationRequest() and never end the process from a worker thread.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::ofstream file;
    if (!log_file_.empty()) {
      file.open(log_file_, std::ios::app);
      if (!file) {
        std::cerr << "dsr: serve: cannot open the log file " << log_file_ << "\n";
        return kExitFailure;
      }
      settings_.log = &file;
    } else {
      settings_.log = &std::cerr;
    }
    auto site = Site::open(settings_);
    if (!site) {
      *settings_.log << "{\"level\":\"error\",\"event\":\"start_failed\"}\n";
      std::cerr << "dsr: " << site.error() << "\n";
      return kExitFailure;
    }
    if (Status s = (*site)->start(); !s) {
      std::cerr << "dsr: " << s.error() << "\n";
      return kExitFailure;
    }
    waitForTerminationRequest();
    (*site)->stop();
    return kExitOk;
  }

 private:
  SiteSettings settings_;
  std::string log_file_;
};

std::string absolute(const std::string& path) {
  Poco::Path p(path);
  p.makeAbsolute();
  return p.toString();
}

}  // namespace

int cmd_serve(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{"--daemon"}, {"--listen", "--pid-file", "--log-file"}, {}, 0, 0});
      !s) {
    return report_failure(io, s.error(), kExitUsage);
  }
  SiteSettings settings;
  // --daemon changes to /: every path must be absolute before that.
  settings.config_path = absolute(args.config_path());
  if (auto listen = args.value("--listen")) {
    auto address = serve::parse_listen_address(*listen, "--listen");
    if (!address) return report_failure(io, address.error(), kExitUsage);
    settings.listen = *address;
  }
  const bool daemon = args.flag("--daemon");
  const auto pid_file = args.value("--pid-file");
  if (pid_file && !daemon) return report_failure(io, "serve: --pid-file goes with --daemon", kExitUsage);
  std::vector<std::string> argv_text{"dsr"};
  if (daemon) argv_text.push_back("--daemon");
  if (pid_file) argv_text.push_back("--pidfile=" + absolute(*pid_file));
  std::vector<char*> argv;
  for (auto& text : argv_text) argv.push_back(text.data());
  argv.push_back(nullptr);
  const std::string log_file = args.value("--log-file") ? absolute(*args.value("--log-file")) : "";
  ServeApplication application(settings, log_file);
  return application.run(static_cast<int>(argv_text.size()), argv.data());
}

int cmd_officer_token(Args& args, Streams io) {
  if (Status s = args.parse(OptionSpec{{}, {}, {}, 1, 1}); !s)
    return report_failure(io, s.error(), kExitUsage);
  auto context = open_context(args.config_path());
  if (!context) return report_failure(io, context.error());
  Context& c = **context;
  const std::string& name = args.words()[0];
  if (Status s = check_officer_name(name); !s) return report_failure(io, s.error(), kExitUsage);
  std::optional<Officer> officer;
  Status read = c.db->read([&] {
    officer = OfficerStore(*c.db).find(name);
    return Status::Ok();
  });
  if (!read) return report_failure(io, read.error());
  if (!officer) return report_failure(io, "officer " + name + ": not registered (see `dsr officer add`)");
  if (officer->disabled) return report_failure(io, "officer " + name + ": disabled");
  auto token = web::ApiTokenStore(*c.db, c.clock).create(name, *c.key, "cli");
  if (!token) return report_failure(io, token.error());
  io.out << *token << "\n";
  return kExitOk;
}

}  // namespace dsr::cli
