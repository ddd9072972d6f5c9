#pragma once
// Reads one raw RFC 5322 message with Poco's MIME support into what intake needs:
// the headers that say who sent it and whether a machine did, the decoded subject,
// and the person's text as UTF-8 (the plain part preferred, HTML reduced to text
// otherwise). Attachments are skipped unread: dsr never stores them.

#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr::mail {

struct ParsedMail {
  std::string message_id;   // without angle brackets; empty when absent
  std::string from;         // the address in From (only a claim), as written
  int from_count = 0;       // addresses in From; intake refuses anything but one
  std::string reply_to;     // never used to send; kept so tests can prove that
  std::string return_path;  // "<>" marks a bounce
  std::string subject;      // RFC 2047 decoded, UTF-8
  std::string text;         // decoded, UTF-8, at most kMaxTextBytes
  bool text_from_html = false;
  std::string in_reply_to;
  std::string references;
  // Headers the loop guard reads, lower-cased names.
  std::string auto_submitted, precedence, list_id, content_type, x_autoreply, x_auto_response_suppress;
  std::string x_autorespond;
};

inline constexpr std::size_t kMaxTextBytes = 64 * 1024;

// Errors name what is broken ("MIME: multipart without a boundary", "MIME: invalid
// base64 in a text part"), never the content.
Result<ParsedMail> parse_mail(std::string_view raw);

// The address inside a header value such as `"Jane" <jane@example.com>`; empty when none.
std::string address_in(std::string_view header_value);

// Text of an HTML document: tags dropped, a few entities decoded, whitespace collapsed.
std::string html_to_text(std::string_view html);

}  // namespace dsr::mail
