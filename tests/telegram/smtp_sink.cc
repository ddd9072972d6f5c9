#include "tests/telegram/smtp_sink.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace dsr::test {

namespace {

unsigned short free_loopback_port() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const unsigned short port = probe.address().port();
  probe.close();
  return port;
}

bool accepts(unsigned short port) {
  try {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(0, 200000));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace

SmtpSink::SmtpSink(const std::string& folder) : maildir_(folder + "/maildir") {
  Poco::File(folder).createDirectories();
  port_ = free_loopback_port();
  process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      "/usr/bin/python3", {"-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_), "-c",
                           "aiosmtpd.handlers.Mailbox", maildir_}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts(port_)) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("aiosmtpd did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

SmtpSink::~SmtpSink() {
  try {
    Poco::Process::kill(*process_);
    process_->wait();
  } catch (const std::exception&) {
    // Already gone.
  }
}

std::vector<std::string> SmtpSink::messages() const {
  std::vector<std::pair<std::string, std::string>> found;  // (file name, content)
  const std::string fresh = maildir_ + "/new";
  if (!Poco::File(fresh).exists()) return {};
  for (Poco::DirectoryIterator it(fresh), end; it != end; ++it) {
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    found.emplace_back(it.name(), text.str());
  }
  // Maildir names start with the delivery time in seconds: good enough for a handful.
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [name, text] : found) out.push_back(std::move(text));
  return out;
}

std::vector<std::string> SmtpSink::wait_for(std::size_t count) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    auto found = messages();
    if (found.size() >= count) return found;
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the code mail did not arrive");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace dsr::test
