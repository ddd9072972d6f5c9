#pragma once
// Pages from the compiled-in mustache templates (dsr/web/templates), which escape
// every {{value}}; only our own rendered page body is inserted unescaped into the
// layout. Pages load nothing from elsewhere and work without JavaScript.

#include <kainjow/mustache.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "dsr/serve/exchange.h"
#include "dsr/web/auth.h"

namespace dsr::web {

using Data = kainjow::mustache::data;

struct Frame {
  std::string title;
  std::optional<Principal> principal;  // shows the navigation and the logout form
  std::string notice;
  std::string error;
};

// Throws std::logic_error for an invalid template (a bug, answered with a 500).
std::string render_page(const WebContext& context, std::string_view page, const Data& data,
                        const Frame& frame);

void send_page(const WebContext& context, serve::Exchange& exchange, int status, std::string_view page,
               const Data& data, const Frame& frame);
// A page that only says something (refusals, errors).
void send_message(const WebContext& context, serve::Exchange& exchange, int status,
                  const std::string& heading, const std::string& text,
                  const std::optional<Principal>& principal, const std::string& back = "/queue");

Data list_of(std::initializer_list<Data> items = {});

}  // namespace dsr::web
