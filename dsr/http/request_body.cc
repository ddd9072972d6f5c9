#include "dsr/http/request_body.h"

namespace dsr::http {

namespace {

// Beyond this, dropping the rest costs more than a client deserves; the connection is
// simply closed.
constexpr std::streamsize kDrainLimit = 1024 * 1024;

void drain(std::istream& in, std::streamsize already_read) {
  char buffer[8192];
  std::streamsize dropped = already_read;
  while (in && dropped < kDrainLimit) {
    in.read(buffer, sizeof buffer);
    dropped += in.gcount();
  }
}

}  // namespace

std::optional<std::string> read_request_body(Poco::Net::HTTPServerRequest& request, std::streamsize limit) {
  const std::streamsize declared = request.getContentLength();
  std::istream& in = request.stream();
  if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH && declared > limit) {
    if (declared <= kDrainLimit) drain(in, 0);
    return std::nullopt;
  }
  std::string body;
  char buffer[4096];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::streamsize>(body.size()) > limit) {
      drain(in, static_cast<std::streamsize>(body.size()));
      return std::nullopt;
    }
  }
  return body;
}

}  // namespace dsr::http
