#pragma once
// How requests look on the command line: a table row, a detail page, and JSON.

#include <Poco/JSON/Object.h>

#include <ostream>
#include <vector>

#include "dsr/requests/request_json.h"
#include "dsr/state/request_store.h"

namespace dsr::cli {


void print_request_table(std::ostream& out, const std::vector<Request>& requests, TimePoint now);
void print_request_detail(std::ostream& out, const Request& request, const std::vector<RequestEvent>& events,
                          TimePoint now);

void print_json(std::ostream& out, const Poco::Dynamic::Var& value);

}  // namespace dsr::cli
