#pragma once
// The checks every officer page makes before doing anything: a live session (else the
// browser goes to the login page), and on a POST a matching CSRF token (else 403).

#include <functional>

#include "dsr/web/render.h"

namespace dsr::web {

using OfficerPage = std::function<void(Database& db, const Principal& principal)>;

void as_officer_page(const WebContext& context, serve::Exchange& exchange, const OfficerPage& page);

}  // namespace dsr::web
