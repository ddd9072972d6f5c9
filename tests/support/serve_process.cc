#include "tests/support/serve_process.h"

#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/run_dsr.h"

namespace dsr::test {

ServeProcess::ServeProcess(const std::string& config_path, const std::string& log_path)
    : log_path_(log_path) {
  process_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch(
      dsr_binary(), {"--config", config_path, "serve", "--listen", "127.0.0.1:0", "--log-file", log_path}));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const std::regex listening("\"event\":\"listening\".*\"port\":([0-9]+)");
  while (port_ == 0) {
    std::smatch match;
    const std::string text = log();
    if (std::regex_search(text, match, listening)) {
      port_ = static_cast<unsigned>(std::stoul(match[1].str()));
      break;
    }
    if (!Poco::Process::isRunning(*process_)) {
      exit_code_ = process_->wait();
      throw std::runtime_error("dsr serve ended before listening (exit " + std::to_string(exit_code_) +
                               "); log:\n" + text);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error("dsr serve did not start listening; log:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

ServeProcess::~ServeProcess() {
  try {
    stop();
  } catch (const std::exception&) {
    // Already gone.
  }
}

std::string ServeProcess::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ServeProcess::await_log(const std::string& text, std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

int ServeProcess::stop() {
  if (!process_ || exit_code_ != -1) return exit_code_;
  ::kill(static_cast<pid_t>(process_->id()), SIGTERM);
  exit_code_ = process_->wait();
  return exit_code_;
}

}  // namespace dsr::test
