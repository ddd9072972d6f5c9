#pragma once
// `dsr serve` as a child process, the way an operator runs it: foreground, on a free
// loopback port, logging JSON lines to a file. Stopped with SIGTERM and waited for.

#include <Poco/Process.h>

#include <chrono>
#include <memory>
#include <string>

namespace dsr::test {

class ServeProcess {
 public:
  // Starts the server and waits (up to 60 s) for its "listening" line.
  ServeProcess(const std::string& config_path, const std::string& log_path);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  unsigned port() const { return port_; }
  std::string log() const;
  // Polls the log until it contains `text`; false after the timeout.
  bool await_log(const std::string& text, std::chrono::seconds timeout = std::chrono::seconds(60)) const;
  // SIGTERM, then waits; returns the exit code. Idempotent.
  int stop();

 private:
  std::unique_ptr<Poco::ProcessHandle> process_;
  std::string log_path_;
  unsigned port_ = 0;
  int exit_code_ = -1;
};

}  // namespace dsr::test
