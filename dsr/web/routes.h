#pragma once
// The routes of the officers' web interface, its REST API and the operations
// endpoints, registered on the server's router. The context must outlive the router.

#include "dsr/serve/router.h"
#include "dsr/web/context.h"

namespace dsr::web {

void add_session_routes(serve::Router& router, const WebContext& context);  // /, /login, /logout
void add_queue_routes(serve::Router& router, const WebContext& context);    // /queue
void add_request_routes(serve::Router& router, const WebContext& context);  // /requests/{id}[/action]
void add_audit_routes(serve::Router& router, const WebContext& context);    // /audit
void add_officer_routes(serve::Router& router, const WebContext& context);  // /officers (admin)
void add_api_routes(serve::Router& router, const WebContext& context);      // /api/v1/...
void add_ops_routes(serve::Router& router, const WebContext& context);      // /healthz, /metrics

inline void add_web_routes(serve::Router& router, const WebContext& context) {
  add_session_routes(router, context);
  add_queue_routes(router, context);
  add_request_routes(router, context);
  add_audit_routes(router, context);
  add_officer_routes(router, context);
  add_api_routes(router, context);
  add_ops_routes(router, context);
}

}  // namespace dsr::web
