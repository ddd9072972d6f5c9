#include "dsr/serve/options.h"

#include <Poco/Path.h>

#include <charconv>

namespace dsr::serve {

Result<ListenAddress> parse_listen_address(const std::string& text, const std::string& where) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return fail(where + ": expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (error != std::errc() || end != port.data() + port.size() || value > 65535) {
    return fail(where + ": the port must be a number from 0 to 65535");
  }
  address.port = value;
  return address;
}

Result<ServeOptions> read_serve_options(const Config& config) {
  ServeOptions options;
  const auto serve = config.document ? config.document->getObject("serve") : nullptr;
  if (!serve) return options;
  const std::string place = config.path + ": /serve";
  if (serve->has("listen")) {
    auto address = parse_listen_address(serve->getValue<std::string>("listen"), place + "/listen");
    if (!address) return address.take_error();
    options.listen = *address;
  }
  if (serve->has("session_idle_minutes"))
    options.session_idle_minutes = serve->getValue<int>("session_idle_minutes");
  if (serve->has("batch_interval_minutes")) {
    options.batch_interval_minutes = serve->getValue<int>("batch_interval_minutes");
  }
  if (serve->has("erasure_two_officers"))
    options.erasure_two_officers = serve->getValue<bool>("erasure_two_officers");
  if (serve->has("threads")) options.threads = serve->getValue<int>("threads");
  if (auto tls = serve->getObject("tls")) {
    const auto resolve = [&](const std::string& key) {
      Poco::Path path(config.directory + "/");
      path.resolve(Poco::Path(tls->getValue<std::string>(key), Poco::Path::PATH_UNIX));
      return path.toString(Poco::Path::PATH_UNIX);
    };
    options.tls_certificate = resolve("certificate");
    options.tls_private_key = resolve("private_key");
  }
  return options;
}

}  // namespace dsr::serve
