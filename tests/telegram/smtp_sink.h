#pragma once
// A real SMTP server for one test: Debian's aiosmtpd (`python3 -m aiosmtpd`, package
// python3-aiosmtpd) on a free loopback port, delivering into a Maildir; stopped by its
// process handle.

#include <Poco/Process.h>

#include <memory>
#include <string>
#include <vector>

namespace dsr::test {

class SmtpSink {
 public:
  explicit SmtpSink(const std::string& folder);
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  unsigned short port() const { return port_; }
  // Every delivered message, raw, oldest first.
  std::vector<std::string> messages() const;
  // Waits (with a deadline) until `count` messages arrived.
  std::vector<std::string> wait_for(std::size_t count) const;

 private:
  std::unique_ptr<Poco::ProcessHandle> process_;
  std::string maildir_;
  unsigned short port_ = 0;
};

}  // namespace dsr::test
