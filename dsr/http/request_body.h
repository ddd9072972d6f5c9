#pragma once
// Reading a request body under a size limit, for every handler of `dsr serve`.

#include <Poco/Net/HTTPServerRequest.h>

#include <optional>
#include <string>

namespace dsr::http {

// The whole body, or nullopt when it is longer than `limit` bytes. An oversized body
// the client has already started sending is read and dropped (up to a bounded amount),
// because closing a socket with unread input resets the connection, and the client,
// still writing, would then never see the 413 the caller answers with.
std::optional<std::string> read_request_body(Poco::Net::HTTPServerRequest& request, std::streamsize limit);

}  // namespace dsr::http
