// The network commands of the `dsr` executable: each replaces the process with
// `dsr-net`, the executable next to it that has them all. See dsr/app/CMakeLists.txt
// for why there are two: `dsr` then needs neither Poco's Net, NetSSL, Crypto, Util, XML
// and Encodings libraries nor their ~7,800 symbol bindings at every start, which were
// about a sixth of the instructions of a `dsr run`.
//
// exec keeps the process id, the open files, the environment and the signal
// dispositions, so `dsr serve` under systemd, with --daemon or with a pid file behaves as
// before; only /proc/<pid>/exe names dsr-net.

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "dsr/app/commands.h"

namespace dsr::cli {

namespace {

constexpr const char* kNetworkExecutable = "dsr-net";

// The folder of the running executable (symbolic links resolved), with a trailing '/'.
std::string own_folder() {
  std::vector<char> path(4096);
  const ssize_t n = ::readlink("/proc/self/exe", path.data(), path.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= path.size()) return "";
  const std::string exe(path.data(), static_cast<std::size_t>(n));
  return exe.substr(0, exe.rfind('/') + 1);
}

// The arguments exactly as this process received them.
std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  for (std::size_t start = 0; start < all.size();) {
    const std::size_t end = all.find('\0', start);
    out.push_back(all.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

int exec_network_executable(Args& args, Streams io) {
  const std::string folder = own_folder();
  std::vector<std::string> arguments = own_arguments();
  if (folder.empty() || arguments.empty()) {
    return report_failure(io, "'" + args.command() + "' runs in " + kNetworkExecutable +
                                  ", but /proc does not say where this executable or its arguments are");
  }
  const std::string path = folder + kNetworkExecutable;
  arguments[0] = path;  // Poco's applications (dsr serve) read their own path from argv[0]
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  io.out.flush();
  io.err.flush();
  ::execv(path.c_str(), argv.data());
  const int error = errno;
  return report_failure(io, "'" + args.command() + "' runs in " + kNetworkExecutable + ", installed next to dsr: " +
                                path + ": " + std::strerror(error));
}

}  // namespace

int cmd_mail_poll(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_bot_poll(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_bot_webhook(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_controller_add(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_controller_list(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_controller_key(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_controller_callbacks(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_serve(Args& args, Streams io) { return exec_network_executable(args, io); }
int cmd_officer_token(Args& args, Streams io) { return exec_network_executable(args, io); }

}  // namespace dsr::cli
