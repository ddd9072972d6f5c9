#pragma once
// Which handler a request belongs to, decided by the start of its path.

#include <Poco/Net/HTTPServerRequest.h>

#include <optional>
#include <string>
#include <string_view>

namespace dsr::http {

// The request's path (without the query) when it starts with `prefix`; nullopt when it
// does not, or when the URI cannot be parsed, so the caller lets another handler try.
std::optional<std::string> path_under(const Poco::Net::HTTPServerRequest& request, std::string_view prefix);

}  // namespace dsr::http
