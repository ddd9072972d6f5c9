#include "dsr/web/render.h"

#include <stdexcept>

#include "web_templates.h"

namespace dsr::web {

namespace mustache = kainjow::mustache;

namespace {

std::string render(std::string_view name, std::string_view text, const Data& data) {
  mustache::mustache tmpl{std::string(text)};
  if (!tmpl.is_valid()) {
    throw std::logic_error("web template " + std::string(name) + " is invalid: " + tmpl.error_message());
  }
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid())
    throw std::logic_error("web template " + std::string(name) + ": " + tmpl.error_message());
  return out;
}

}  // namespace

Data list_of(std::initializer_list<Data> items) {
  Data list{Data::type::list};
  for (const auto& item : items) list.push_back(item);
  return list;
}

std::string render_page(const WebContext& context, std::string_view page, const Data& data,
                        const Frame& frame) {
  Data layout;
  layout.set("title", frame.title);
  layout.set("body", render("page", page, data));
  if (!frame.notice.empty()) layout.set("notice", frame.notice);
  if (!frame.error.empty()) layout.set("error", frame.error);
  if (frame.principal) {
    layout.set("officer", frame.principal->officer);
    layout.set("role", std::string(to_string(frame.principal->role)));
    layout.set("is_admin", frame.principal->is_admin());
    layout.set("csrf", csrf_token(context, frame.principal->session_id));
  }
  return render("layout", web_templates::layout, layout);
}

void send_page(const WebContext& context, serve::Exchange& exchange, int status, std::string_view page,
               const Data& data, const Frame& frame) {
  serve::send_html(exchange, status, render_page(context, page, data, frame));
}

void send_message(const WebContext& context, serve::Exchange& exchange, int status,
                  const std::string& heading, const std::string& text,
                  const std::optional<Principal>& principal, const std::string& back) {
  Data data;
  data.set("heading", heading);
  data.set("text", text);
  data.set("back", back);
  send_page(context, exchange, status, web_templates::message, data, Frame{heading, principal, "", ""});
}

}  // namespace dsr::web
