#pragma once
// Which request a message makes, from configured keywords (case-insensitive, any
// language). A keyword in the subject counts three times one in the body; the
// person's own text only is read (quoted lines of a reply, "> ...", are skipped).
// No keyword, or a tie between types: unknown, for an officer to decide.

#include <string>
#include <vector>

#include "dsr/mail/mail_config.h"

namespace dsr::mail {

RequestType classify(const std::string& subject, const std::string& body,
                     const std::vector<Keyword>& keywords);

}  // namespace dsr::mail
