#pragma once
// Mail texts: mustache templates, one file per kind, "Subject: ..." on the first
// line, a blank line, then the body. A file of the same name in the configured
// templates_dir replaces the built-in one. Values are inserted as they are (the
// mails are plain text, so nothing is HTML-escaped).

#include <map>
#include <string>

#include "dsr/common/result.h"

namespace dsr::mail {

struct RenderedMail {
  std::string subject;
  std::string body;
};

// name is e.g. "verification.txt". Errors name the template and what is wrong.
Result<RenderedMail> render_template(const std::string& templates_dir, const std::string& name,
                                     const std::map<std::string, std::string>& values);

}  // namespace dsr::mail
