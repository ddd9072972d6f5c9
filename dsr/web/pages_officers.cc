// /officers: the admin's page to add, disable and enable officers.

#include "dsr/requests/officer_service.h"
#include "dsr/web/page_guard.h"
#include "dsr/web/routes.h"
#include "web_templates.h"

namespace dsr::web {

namespace {

bool refuse_unless_admin(const WebContext& context, serve::Exchange& exchange, const Principal& principal) {
  if (principal.is_admin()) return false;
  send_message(context, exchange, 403, "Refused", "Only an admin manages officers.", principal);
  return true;
}

void show_officers(const WebContext& context, serve::Exchange& exchange, Database& db,
                   const Principal& principal, int status, const std::string& notice,
                   const std::string& error) {
  auto officers = OfficerService(db, context.key, context.clock).list();
  if (!officers) throw std::runtime_error(officers.error());
  const std::string csrf = csrf_token(context, principal.session_id);
  Data page;
  Data list{Data::type::list};
  for (const auto& o : *officers) {
    Data item;
    item.set("name", o.name);
    item.set("role", std::string(to_string(o.role)));
    item.set("created", format_utc(o.created_at).substr(0, 10));
    item.set("disabled", o.disabled);
    item.set("csrf", csrf);
    list.push_back(item);
  }
  page.set("officers", list);
  page.set("csrf", csrf);
  send_page(context, exchange, status, web_templates::officers, page,
            Frame{"Officers", principal, notice, error});
}

}  // namespace

void add_officer_routes(serve::Router& router, const WebContext& context) {
  router.add("GET", "/officers", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      if (!refuse_unless_admin(context, exchange, principal))
        show_officers(context, exchange, db, principal, 200, "", "");
    });
  });
  router.add("POST", "/officers", [&context](serve::Exchange& exchange) {
    as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
      if (refuse_unless_admin(context, exchange, principal)) return;
      const auto& form = exchange.form();
      const std::string name = form.get("name", "");
      auto role = parse_officer_role(form.get("role", ""));
      Status added = role ? OfficerService(db, context.key, context.clock)
                                .add(name, *role, form.get("password", ""), "officer:" + principal.officer)
                          : Status(role.take_error());
      if (!added) {
        show_officers(context, exchange, db, principal, 400, "", added.error());
        return;
      }
      context.log.info("officer_added", serve::fields({{"by", principal.officer}, {"officer", name}}));
      serve::redirect(exchange, "/officers");
    });
  });
  for (const bool disable : {true, false}) {
    router.add("POST", disable ? "/officers/{}/disable" : "/officers/{}/enable",
               [&context, disable](serve::Exchange& exchange) {
                 as_officer_page(context, exchange, [&](Database& db, const Principal& principal) {
                   if (refuse_unless_admin(context, exchange, principal)) return;
                   const std::string& name = exchange.captures[0];
                   if (disable && name == principal.officer) {
                     show_officers(context, exchange, db, principal, 409, "",
                                   "An admin cannot disable themselves.");
                     return;
                   }
                   Status done = OfficerService(db, context.key, context.clock)
                                     .set_disabled(name, disable, "officer:" + principal.officer);
                   if (!done) {
                     show_officers(context, exchange, db, principal, 400, "", done.error());
                     return;
                   }
                   serve::redirect(exchange, "/officers");
                 });
               });
  }
}

}  // namespace dsr::web
