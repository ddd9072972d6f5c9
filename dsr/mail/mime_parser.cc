#include "dsr/mail/mime_parser.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Encodings.h>
#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/String.h>
#include <Poco/TextConverter.h>
#include <Poco/TextEncoding.h>
#include <Poco/UTF8Encoding.h>

#include <istream>
#include <mutex>
#include <sstream>

#include "dsr/common/text.h"

namespace dsr::mail {

namespace {

using Poco::Net::MessageHeader;

constexpr int kMaxDepth = 8;
// Mail servers prepend many trace headers; Poco's default limit of 100 is too low.
constexpr int kMaxHeaderFields = 1000;

void register_encodings_once() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::registerExtraEncodings(); });
}

std::string header_text(const MessageHeader& header, const std::string& name) {
  const std::string raw = Poco::trim(header.get(name, ""));
  if (raw.empty()) return raw;
  try {
    std::string decoded = MessageHeader::decodeWord(raw, "UTF-8");
    return is_valid_utf8(decoded) ? decoded : std::string();
  } catch (const Poco::Exception&) {
    // An encoded word in a charset Poco does not know: keep the header as written if it is readable.
    return is_valid_utf8(raw) ? raw : std::string();
  }
}

std::string strip_angles(std::string text) {
  text = Poco::trim(text);
  if (text.size() >= 2 && text.front() == '<' && text.back() == '>') return text.substr(1, text.size() - 2);
  return text;
}

// Reads at most `limit` bytes and drains the rest, so the multipart reader can go on.
std::string read_limited(std::istream& in, std::size_t limit) {
  std::string out;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    const auto got = static_cast<std::size_t>(in.gcount());
    if (out.size() < limit) out.append(buffer, std::min(got, limit - out.size()));
  }
  return out;
}

void drain(std::istream& in) {
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
  }
}

std::string to_utf8(const std::string& bytes, std::string charset) {
  charset = Poco::toLower(Poco::trim(charset));
  if (charset.empty() || charset == "us-ascii" || charset == "utf-8" || charset == "utf8") {
    if (is_valid_utf8(bytes)) return bytes;
    charset = "windows-1252";  // the usual truth behind a mislabelled message
  }
  const Poco::TextEncoding* from = Poco::TextEncoding::find(charset);
  if (!from) from = Poco::TextEncoding::find("windows-1252");
  Poco::UTF8Encoding utf8;
  Poco::TextConverter converter(*from, utf8, '?');
  std::string out;
  converter.convert(bytes, out);
  return out;
}

struct Collected {
  std::string plain;
  std::string html;
};

class Walker {
 public:
  Status walk(const MessageHeader& header, std::istream& body, int depth) {
    if (depth > kMaxDepth) return fail("MIME: parts nested deeper than " + std::to_string(kMaxDepth));
    Poco::Net::MediaType type("text/plain");
    if (header.has("Content-Type")) {
      try {
        type = Poco::Net::MediaType(header.get("Content-Type"));
      } catch (const Poco::Exception&) {
        return fail("MIME: unreadable Content-Type");
      }
    }
    if (type.matches("multipart")) return walk_multipart(type, body, depth);
    const std::string disposition = Poco::toLower(header.get("Content-Disposition", ""));
    const bool attachment = disposition.rfind("attachment", 0) == 0;
    const bool plain = type.matches("text", "plain");
    const bool html = type.matches("text", "html");
    if (attachment || (!plain && !html)) {
      drain(body);
      return Status::Ok();
    }
    auto text = decode_text(header, type, body);
    if (!text) return text.take_error();
    std::string& target = plain ? collected_.plain : collected_.html;
    if (target.size() < kMaxTextBytes) target += (target.empty() ? "" : "\n") + *text;
    return Status::Ok();
  }

  const Collected& collected() const { return collected_; }

 private:
  Status walk_multipart(const Poco::Net::MediaType& type, std::istream& body, int depth) {
    if (!type.hasParameter("boundary") || type.getParameter("boundary").empty()) {
      return fail("MIME: multipart without a boundary");
    }
    try {
      Poco::Net::MultipartReader reader(body, type.getParameter("boundary"));
      int parts = 0;
      while (reader.hasNextPart()) {
        MessageHeader part_header;
        part_header.setFieldLimit(kMaxHeaderFields);
        reader.nextPart(part_header);
        ++parts;
        if (Status s = walk(part_header, reader.stream(), depth + 1); !s) return s;
      }
      if (parts == 0) return fail("MIME: multipart without parts");
    } catch (const Poco::Exception& e) {
      return fail("MIME: broken multipart structure (" + e.message() + ")");
    }
    return Status::Ok();
  }

  Result<std::string> decode_text(const MessageHeader& header, const Poco::Net::MediaType& type,
                                  std::istream& body) {
    const std::string encoding = Poco::toLower(Poco::trim(header.get("Content-Transfer-Encoding", "7bit")));
    // Encoded text is at most 4/3 of the text; read a little more than the limit asks.
    const std::size_t limit = kMaxTextBytes * 2;
    std::string bytes;
    try {
      if (encoding == "quoted-printable") {
        Poco::Net::QuotedPrintableDecoder decoder(body);
        bytes = read_limited(decoder, limit);
      } else if (encoding == "base64") {
        // Poco's decoder passes over some characters outside the alphabet; broken input must be named.
        const std::string encoded = read_limited(body, limit * 2);
        const bool clean = encoded.find_first_not_of(
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n \t") ==
                           std::string::npos;
        if (!clean) return fail("MIME: invalid base64 in a text part");
        std::istringstream encoded_stream(encoded);
        Poco::Base64Decoder decoder(encoded_stream);
        bytes = read_limited(decoder, limit);
      } else {
        bytes = read_limited(body, limit);
      }
    } catch (const Poco::Exception&) {
      return fail("MIME: invalid " + encoding + " in a text part");
    }
    drain(body);
    const std::string charset = type.hasParameter("charset") ? type.getParameter("charset") : "us-ascii";
    return to_utf8(bytes, charset);
  }

  Collected collected_;
};

std::size_t count_addresses(const std::string& value) {
  std::size_t count = 0;
  bool quoted = false;
  int angle = 0;
  for (char c : value) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '<') ++angle;
    if (c == '>') --angle;
    if (c == '@' && angle <= 1) ++count;
  }
  return count;
}

void truncate_utf8(std::string& text, std::size_t limit) {
  if (text.size() <= limit) return;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
}

}  // namespace

std::string address_in(std::string_view header_value) {
  std::string value(header_value);
  const auto open = value.rfind('<');
  if (open != std::string::npos) {
    const auto close = value.find('>', open);
    if (close == std::string::npos) return "";
    return Poco::trim(value.substr(open + 1, close - open - 1));
  }
  // A bare address, perhaps followed by an old-style "(comment)".
  value = Poco::trim(value.substr(0, value.find('(')));
  return value.find('@') == std::string::npos ? "" : value;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  std::size_t i = 0;
  const auto starts = [&](std::size_t at, std::string_view what) {
    if (at + what.size() > html.size()) return false;
    for (std::size_t k = 0; k < what.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(html[at + k])) != what[k]) return false;
    }
    return true;
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      for (std::string_view hidden : {"<script", "<style", "<head"}) {
        if (starts(i, hidden)) {
          const std::string close = "</" + std::string(hidden.substr(1));
          std::size_t end = i;
          while (end < html.size() && !starts(end, close)) ++end;
          i = end;
          break;
        }
      }
      const auto end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      out += ' ';
    } else if (c == '&') {
      static const std::pair<std::string_view, std::string_view> kEntities[] = {
          {"&amp;", "&"},  {"&lt;", "<"},   {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"},
          {"&nbsp;", " "}, {"&auml;", "ä"}, {"&ouml;", "ö"}, {"&uuml;", "ü"},  {"&szlig;", "ß"},
          {"&Auml;", "Ä"}, {"&Ouml;", "Ö"}, {"&Uuml;", "Ü"}, {"&apos;", "'"},
      };
      bool matched = false;
      for (const auto& [entity, text] : kEntities) {
        if (html.substr(i, entity.size()) == entity) {
          out += text;
          i += entity.size();
          matched = true;
          break;
        }
      }
      if (!matched) {
        out += c;
        ++i;
      }
    } else {
      out += c;
      ++i;
    }
  }
  // Collapse runs of blanks, keep line breaks.
  std::string collapsed;
  for (char c : out) {
    const bool blank = c == ' ' || c == '\t' || c == '\r';
    if (blank && (collapsed.empty() || collapsed.back() == ' ' || collapsed.back() == '\n')) continue;
    if (c == '\n' && !collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    collapsed += blank ? ' ' : c;
  }
  return Poco::trim(collapsed);
}

Result<ParsedMail> parse_mail(std::string_view raw) {
  register_encodings_once();
  std::istringstream in{std::string(raw)};
  MessageHeader header;
  header.setFieldLimit(kMaxHeaderFields);
  try {
    header.read(in);
  } catch (const Poco::Exception& e) {
    return fail("MIME: unreadable header (" + e.message() + ")");
  }
  ParsedMail mail;
  mail.message_id = strip_angles(header.get("Message-ID", ""));
  const std::string from = header_text(header, "From");
  mail.from_count = static_cast<int>(count_addresses(from));
  mail.from = address_in(from);
  mail.reply_to = address_in(header_text(header, "Reply-To"));
  mail.return_path = Poco::trim(header.get("Return-Path", ""));
  mail.subject = header_text(header, "Subject");
  mail.in_reply_to = Poco::trim(header.get("In-Reply-To", ""));
  mail.references = Poco::trim(header.get("References", ""));
  mail.auto_submitted = Poco::toLower(Poco::trim(header.get("Auto-Submitted", "")));
  mail.precedence = Poco::toLower(Poco::trim(header.get("Precedence", "")));
  mail.list_id = Poco::trim(header.get("List-Id", ""));
  mail.content_type = Poco::toLower(Poco::trim(header.get("Content-Type", "")));
  mail.x_autoreply = Poco::trim(header.get("X-Autoreply", ""));
  mail.x_autorespond = Poco::trim(header.get("X-Autorespond", ""));
  mail.x_auto_response_suppress = Poco::trim(header.get("X-Auto-Response-Suppress", ""));

  Walker walker;
  if (Status s = walker.walk(header, in, 0); !s) return s.take_error();
  const Collected& collected = walker.collected();
  if (!Poco::trim(collected.plain).empty()) {
    mail.text = collected.plain;
  } else if (!collected.html.empty()) {
    mail.text = html_to_text(collected.html);
    mail.text_from_html = true;
  }
  truncate_utf8(mail.text, kMaxTextBytes);
  return mail;
}

}  // namespace dsr::mail
