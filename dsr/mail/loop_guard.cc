#include "dsr/mail/loop_guard.h"

#include <algorithm>

#include "dsr/common/text.h"

namespace dsr::mail {

std::optional<std::string> automated_reason(const ParsedMail& mail) {
  if (!mail.auto_submitted.empty() && mail.auto_submitted != "no") return "auto-submitted";
  if (!mail.x_autoreply.empty() || !mail.x_autorespond.empty()) return "auto-reply";
  if (mail.precedence == "bulk" || mail.precedence == "list" || mail.precedence == "junk") {
    return "precedence " + mail.precedence;
  }
  if (!mail.list_id.empty()) return "list mail";
  std::string return_path = mail.return_path;
  return_path.erase(std::remove(return_path.begin(), return_path.end(), ' '), return_path.end());
  if (return_path == "<>") return "bounce (empty return path)";
  const std::string local = to_lower_ascii(mail.from.substr(0, mail.from.find('@')));
  if (local == "mailer-daemon" || local == "postmaster") return "bounce (" + local + ")";
  if (mail.content_type.find("multipart/report") != std::string::npos) return "delivery report";
  return std::nullopt;
}

}  // namespace dsr::mail
