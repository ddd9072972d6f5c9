#define BOOST_TEST_MODULE mail parsing and classification
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "dsr/common/text.h"
#include "dsr/config/config.h"
#include "dsr/mail/classifier.h"
#include "dsr/mail/loop_guard.h"
#include "dsr/mail/mime_parser.h"
#include "dsr/mail/templates.h"
#include "dsr/mail/verification.h"
#include "tests/mail/corpus.h"

using namespace dsr;
using namespace dsr::mail;

namespace {

ParsedMail parsed_fixture(const std::string& file) {
  auto parsed =
      parse_mail(test::with_crlf(test::expand_template(test::read_file(test::corpus_dir() + "/" + file))));
  BOOST_REQUIRE_MESSAGE(parsed.ok(), file + ": " + (parsed.ok() ? "" : parsed.error()));
  return *parsed;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_corpus_message_meets_its_expected_outcome) {
  const auto corpus = test::load_corpus();
  BOOST_REQUIRE_GE(corpus.size(), 10u);
  const auto keywords = default_keywords();
  for (const auto& c : corpus) {
    BOOST_TEST_CONTEXT(c.file) {
      auto parsed = parse_mail(c.raw);
      if (c.outcome == "rejected") {
        BOOST_TEST(!parsed.ok());
        if (!parsed) BOOST_TEST(parsed.error().rfind("MIME: ", 0) == 0);
        continue;
      }
      BOOST_REQUIRE_MESSAGE(parsed.ok(), (parsed.ok() ? "" : parsed.error()));
      if (c.outcome == "ignored") {
        BOOST_TEST(automated_reason(*parsed).has_value());
        continue;
      }
      BOOST_TEST(!automated_reason(*parsed).has_value());
      BOOST_TEST(parsed->from_count == 1);
      BOOST_TEST(to_lower_ascii(parsed->from) == c.code_to);
      BOOST_TEST(to_string(classify(parsed->subject, parsed->text, keywords)) == c.type);
    }
  }
}

BOOST_AUTO_TEST_CASE(encoded_words_quoted_printable_base64_and_charsets_become_utf8) {
  const ParsedMail b64 = parsed_fixture("base64_utf8_subject.eml");
  BOOST_TEST(b64.subject == "Löschung meiner Daten");
  BOOST_TEST(b64.text.find("bitte löschen Sie alle Daten über mich.") != std::string::npos);
  BOOST_TEST(b64.message_id == "b64-subject-1@example.at");

  // ISO-8859-1, quoted-printable with a soft line break, HTML only: tags and styles dropped.
  const ParsedMail html = parsed_fixture("html_only.eml");
  BOOST_TEST(html.text_from_html);
  BOOST_TEST(html.text.find("ich bitte um Auskunft über die zu meiner Person gespeicherten Daten.") !=
             std::string::npos);
  BOOST_TEST(html.text.find("Grüßen") != std::string::npos);
  BOOST_TEST(html.text.find("color") == std::string::npos);
  BOOST_TEST(html.text.find('<') == std::string::npos);

  // multipart/alternative: the plain part is the text, the HTML part is not read.
  const ParsedMail alt = parsed_fixture("multipart_alternative.eml");
  BOOST_TEST(!alt.text_from_html);
  BOOST_TEST(alt.text.find("marketing – stop") != std::string::npos);
  BOOST_TEST(alt.text.find("html part") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_attachment_is_skipped_and_the_text_kept) {
  const ParsedMail large = parsed_fixture("large_attachment.eml.in");
  BOOST_TEST(large.text.find("What data do you hold about me?") != std::string::npos);
  BOOST_TEST(large.text.size() < 1000u);
}

BOOST_AUTO_TEST_CASE(reply_to_and_return_path_are_read_but_from_is_the_address) {
  const ParsedMail mail = parsed_fixture("reply_to_elsewhere.eml");
  BOOST_TEST(mail.from == "alice@example.org");
  BOOST_TEST(mail.reply_to == "collector@elsewhere.example");
  BOOST_TEST(mail.return_path == "<collector@elsewhere.example>");
}

BOOST_AUTO_TEST_CASE(broken_mime_is_named) {
  auto missing_boundary = parse_mail("From: a@b.example\r\nContent-Type: multipart/mixed\r\n\r\nbody\r\n");
  BOOST_REQUIRE(!missing_boundary.ok());
  BOOST_TEST(missing_boundary.error() == "MIME: multipart without a boundary");
  auto bad_base64 = parse_mail(
      "From: a@b.example\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%not "
      "base64!!\r\n");
  BOOST_REQUIRE(!bad_base64.ok());
  BOOST_TEST(bad_base64.error() == "MIME: invalid base64 in a text part");
}

BOOST_AUTO_TEST_CASE(loop_guard_cases) {
  struct Case {
    const char* headers;
    bool automated;
  };
  const Case cases[] = {
      {"Auto-Submitted: no\r\n", false},
      {"Auto-Submitted: auto-generated\r\n", true},
      {"Auto-Submitted: auto-replied\r\n", true},
      {"Precedence: bulk\r\n", true},
      {"Precedence: junk\r\n", true},
      {"Precedence: list\r\n", true},
      {"List-Id: <a.list.example>\r\n", true},
      {"Return-Path: <>\r\n", true},
      {"Return-Path: < >\r\n", true},
      {"X-Autoreply: yes\r\n", true},
      {"", false},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.headers) {
      auto parsed = parse_mail(std::string("From: person@example.com\r\n") + c.headers +
                               "Subject: delete my data\r\n\r\nplease\r\n");
      BOOST_REQUIRE(parsed.ok());
      BOOST_TEST(automated_reason(*parsed).has_value() == c.automated);
    }
  }
  for (const char* from : {"MAILER-DAEMON@mx.example", "postmaster@example.org"}) {
    auto parsed = parse_mail(std::string("From: ") + from + "\r\nSubject: x\r\n\r\nx\r\n");
    BOOST_REQUIRE(parsed.ok());
    BOOST_TEST(automated_reason(*parsed).has_value());
  }
}

BOOST_AUTO_TEST_CASE(classification_in_english_and_german_and_unknown_on_a_tie) {
  const auto keywords = default_keywords();
  BOOST_TEST(classify("Widerspruch", "Ich widerspreche der Nutzung meiner Daten für Werbung.", keywords) ==
             RequestType::objection);
  BOOST_TEST(classify("", "Bitte um Auskunft nach Artikel 15", keywords) == RequestType::access);
  BOOST_TEST(classify("LÖSCHUNG", "", keywords) == RequestType::erasure);
  BOOST_TEST(classify("Hello", "How are you?", keywords) == RequestType::unknown);
  // One erasure and one objection keyword: an officer decides.
  BOOST_TEST(classify("", "delete ... unsubscribe", keywords) == RequestType::unknown);
  // Quoted text of a reply does not count.
  BOOST_TEST(classify("", "> please delete\nthanks", keywords) == RequestType::unknown);
  // The subject outweighs the body.
  BOOST_TEST(classify("Erasure", "also unsubscribe", keywords) == RequestType::erasure);
  // Configured keywords replace the defaults.
  const std::vector<Keyword> custom = {{RequestType::portability, "fr", "portabilité"}};
  BOOST_TEST(classify("Portabilité de mes données", "", custom) == RequestType::portability);
}

BOOST_AUTO_TEST_CASE(code_shaped_words_are_found) {
  struct Case {
    const char* text;
    std::vector<std::string> codes;
  };
  const Case cases[] = {
      {"my code is 1234-5678.", {"1234-5678"}},
      {"12345678", {"1234-5678"}},
      {"1234 5678 and 8765-4321", {"1234-5678", "8765-4321"}},
      {"123456789", {}},                                   // too long
      {"ref 2026-11-29 due", {}},                          // a date is not a code
      {"A12345678", {}},                                   // glued to letters
      {"[ref 12345678-1234-4567-8901-123456789012]", {}},  // a request id
      {"?request=x&code=1234-5678\n", {"1234-5678"}},
      {"> Your confirmation code: 1111-2222\n", {"1111-2222"}},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) { BOOST_TEST(codes_in(c.text) == c.codes, boost::test_tools::per_element()); }
  }
  const std::string code = new_code();
  BOOST_TEST(codes_in(code) == std::vector<std::string>{code}, boost::test_tools::per_element());
  BOOST_TEST(new_code() != code);
}

BOOST_AUTO_TEST_CASE(templates_render_and_a_configured_folder_overrides_them) {
  std::map<std::string, std::string> values = {{"request_id", "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"},
                                               {"type_label", "erasure of your personal data"},
                                               {"received_date", "2026-11-29"},
                                               {"reason", "We hold no data <none> & nothing else."},
                                               {"supervisory_authority", "BfDI, Bonn"},
                                               {"has_authority", "yes"},
                                               {"controller_name", "Shop GmbH"}};
  auto rejection = render_template("", "rejection.txt", values);
  BOOST_REQUIRE(rejection.ok());
  BOOST_TEST(rejection->subject == "Your data protection request [ref 0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b]");
  // Plain text: nothing is HTML-escaped.
  BOOST_TEST(rejection->body.find("The reason: We hold no data <none> & nothing else.") != std::string::npos);
  BOOST_TEST(rejection->body.find("(BfDI, Bonn)") != std::string::npos);
  BOOST_TEST(rejection->body.find("right to lodge a complaint") != std::string::npos);

  const auto dir =
      std::filesystem::temp_directory_path() / ("dsr-mail-templates-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rejection.txt") << "Subject: Nein {{request_id}}\n\nGrund: {{reason}}\n";
  auto custom = render_template(dir.string(), "rejection.txt", values);
  std::filesystem::remove_all(dir);
  BOOST_REQUIRE(custom.ok());
  BOOST_TEST(custom->subject == "Nein 0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b");
  BOOST_TEST(custom->body == "Grund: We hold no data <none> & nothing else.\n");
  // Names not overridden still come from the built-in set.
  BOOST_TEST(render_template(dir.string(), "receipt.txt", values).ok());
  BOOST_TEST(!render_template("", "nonexistent.txt", values).ok());
}

BOOST_AUTO_TEST_CASE(the_mail_section_of_the_config) {
  const std::string text = R"({
    "mail": {
      "pop3": {"host": "pop.example", "user": "dsr", "password": "pw", "tls": true},
      "smtp": {"host": "smtp.example", "port": 587, "starttls": true},
      "from": "privacy@shop.example",
      "link_base": "https://privacy.shop.example/",
      "templates_dir": "mail-texts",
      "keywords": {"de": {"erasure": ["Entfernen"]}, "fr": {"access": ["accès"]}}
    }
  })";
  auto config = parse_config(text, "/etc/dsr/dsr.json");
  BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? "" : config.error()));
  auto mail = read_mail_config(*config);
  BOOST_REQUIRE_MESSAGE(mail.ok(), (mail.ok() ? "" : mail.error()));
  BOOST_TEST(mail->configured);
  BOOST_TEST(mail->pop3.port == 995);  // the POP3S default with tls
  BOOST_TEST(mail->smtp.port == 587);
  BOOST_TEST(mail->smtp.starttls);
  BOOST_TEST(mail->link_base == "https://privacy.shop.example");
  BOOST_TEST(mail->templates_dir == "/etc/dsr/mail-texts");
  // German replaced, French added, English kept.
  BOOST_TEST(classify("Bitte entfernen", "", mail->keywords) == RequestType::erasure);
  BOOST_TEST(classify("Löschung", "", mail->keywords) == RequestType::unknown);
  BOOST_TEST(classify("Demande d'accès", "", mail->keywords) == RequestType::access);
  BOOST_TEST(classify("Please delete", "", mail->keywords) == RequestType::erasure);

  auto absent = read_mail_config(*parse_config("{}", "dsr.json"));
  BOOST_REQUIRE(absent.ok());
  BOOST_TEST(!absent->configured);

  auto typo = parse_config(R"({"mail": {"pop3": {"host": "p", "user": "u", "password": "p"},
                                         "smtp": {"host": "s", "starttsl": true}, "from": "a@b.example"}})",
                           "dsr.json");
  BOOST_REQUIRE(!typo.ok());
  BOOST_TEST(typo.error().find("/mail/smtp") != std::string::npos);
  auto bad_type = parse_config(R"({"mail": {"pop3": {"host": "p", "user": "u", "password": "p"},
                                             "smtp": {"host": "s"}, "from": "a@b.example",
                                             "keywords": {"en": {"delete": ["x"]}}}})",
                               "dsr.json");
  BOOST_TEST(!bad_type.ok());
}
