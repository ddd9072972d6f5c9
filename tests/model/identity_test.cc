#define BOOST_TEST_MODULE identity normaliser
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/text.h"
#include "dsr/model/identity.h"

using namespace dsr;
using namespace std::string_literals;

namespace {

// Either `normal` is the expected normal form, or `error` is a substring the error must contain.
struct Case {
  std::string kind;
  std::string input;
  std::string normal;
  std::string error;
};

Case ok(std::string kind, std::string input, std::string normal) {
  return {std::move(kind), std::move(input), std::move(normal), {}};
}
Case bad(std::string kind, std::string input, std::string error) {
  return {std::move(kind), std::move(input), {}, std::move(error)};
}

// Boost evaluates a message's operands even when the check passes, so the
// accessor matching the state has to be chosen first.
template <typename T>
std::string describe(const Result<T>& result) {
  if (result.ok()) return "ok";
  return "error: " + result.error();
}

// Error messages end up in logs and API answers, so besides naming the problem
// they must stay printable and never carry the value back out.
void check_error_is_safe(const std::string& message, const Case& c) {
  BOOST_TEST(message.rfind("identity " + c.kind + ": ", 0) == 0, "message does not start with the kind: " << message);
  BOOST_TEST(is_valid_utf8(message));
  BOOST_TEST(!has_control_chars(message));
  const std::string trimmed = trim(c.input);
  // Shorter values ("0", "-5") are too short to be told apart from the wording.
  if (trimmed.size() >= 3) {
    BOOST_TEST(message.find(trimmed) == std::string::npos, "message echoes the value: " << message);
  }
}

void run(const IdentityNormaliser& normaliser, const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("kind " << c.kind << ", input " << quote_for_message(c.input, 80)) {
      const auto result = normaliser.normalise(c.kind, c.input);
      if (c.error.empty()) {
        BOOST_TEST_REQUIRE(result.ok(), describe(result));
        BOOST_TEST(result->kind == c.kind);
        BOOST_TEST(result->value == c.normal);
        // A normal form is a fixed point.
        const auto again = normaliser.normalise(c.kind, result->value);
        BOOST_TEST_REQUIRE(again.ok());
        BOOST_TEST(again->value == c.normal);
      } else {
        BOOST_TEST_REQUIRE(!result.ok(), "accepted as " << (result.ok() ? quote_for_message(result->value, 80) : ""));
        BOOST_TEST(result.error().find(c.error) != std::string::npos,
                   "error " << result.error() << " lacks " << c.error);
        check_error_is_safe(result.error(), c);
      }
    }
  }
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(email) {
  const std::string local64 = repeat("a", 64);
  // 64 + 1 + 189 = 254 bytes, labels of at most 63.
  const std::string domain189 = repeat("b", 60) + "." + repeat("c", 60) + "." + repeat("d", 63) + ".com";
  run(IdentityNormaliser(), {
      ok("email", "  Foo.Bar@Example.COM \r\n", "foo.bar@example.com"),
      ok("email", "\tuser+tag@Sub.Example.co.uk", "user+tag@sub.example.co.uk"),
      ok("email", "o'brien@example.ie", "o'brien@example.ie"),
      ok("email", "J\xC3\xBCrgen@B\xC3\xBC" "cher.DE", "j\xC3\xBCrgen@b\xC3\xBC" "cher.de"),
      ok("email", "x@a-b.example", "x@a-b.example"),
      ok("email", local64 + "@example.com", local64 + "@example.com"),
      ok("email", local64 + "@" + domain189, local64 + "@" + domain189),
      bad("email", "", "identity email: empty"),
      bad("email", " \t\r\n", "identity email: empty"),
      bad("email", "foo.example.com", "identity email: missing '@'"),
      bad("email", "a@b@example.com", "more than one '@'"),
      bad("email", "@example.com", "empty local part"),
      bad("email", "foo@", "empty domain"),
      bad("email", "foo@localhost", "has no dot"),
      bad("email", "foo@example..com", "empty label"),
      bad("email", "foo@.example.com", "empty label"),
      bad("email", "foo@example.com.", "empty label"),
      bad("email", "foo@-example.com", "starts or ends with '-'"),
      bad("email", "foo@example-.com", "starts or ends with '-'"),
      bad("email", "foo@" + repeat("x", 64) + ".com", "longer than 63"),
      bad("email", "a" + local64 + "@example.com", "longer than 64 bytes"),
      bad("email", local64 + "@x" + domain189, "longer than 254 bytes"),
      bad("email", "foo@127.0.0.1", "all-digit label"),
      bad("email", "foo@[127.0.0.1]", "domain (after '@') may contain only"),
      bad("email", "foo@exa_mple.com", "domain (after '@') may contain only"),
      bad("email", "foo bar@example.com", "contains whitespace"),
      bad("email", "foo@example.com bar@example.org", "contains whitespace"),
      bad("email", "foo\xC2\xA0" "bar@example.com", "contains whitespace"),
      bad("email", "\"foo\"@example.com", "local part (before '@') contains a character that is not allowed"),
      bad("email", "\"foo bar\"@example.com", "contains whitespace"),
      bad("email", "<foo@example.com>", "not allowed"),
      bad("email", "foo@example.com>", "domain (after '@') may contain only"),
      bad("email", "foo,bar@example.com", "not allowed"),
      bad("email", "foo;bar@example.com", "not allowed"),
      bad("email", "foo\\bar@example.com", "not allowed"),
      bad("email", "foo(comment)@example.com", "not allowed"),
      bad("email", "' OR 1=1 --", "contains whitespace"),
      bad("email", "'OR'1'='1'--", "missing '@'"),
      bad("email", "foo@example.com' OR '1'='1", "contains whitespace"),
      bad("email", "foo@example.com';DROP", "domain (after '@') may contain only"),
      bad("email", "foo\tbar@example.com", "control"),
      bad("email", "foo\nbar@example.com", "control"),
      bad("email", "foo\0@example.com"s, "control"),
      bad("email", std::string("foo@example.com\0", 16), "control"),
      bad("email", std::string("\0", 1), "control"),
      bad("email", "foo\x7F" "bar@example.com", "control"),
      bad("email", "foo\xC2\x85" "bar@example.com", "control"),             // C1 NEL
      bad("email", "foo\xE2\x80\xAE" "moc.elpmaxe@x.com", "invisible"),      // RIGHT-TO-LEFT OVERRIDE
      bad("email", "foo\xE2\x80\x8B" "@example.com", "invisible"),           // ZERO WIDTH SPACE
      bad("email", "\xEF\xBB\xBF" "foo@example.com", "invisible"),           // BOM
      bad("email", "\xC3\x28" "@example.com", "not valid UTF-8"),
      bad("email", "\xED\xA0\x80" "@example.com", "not valid UTF-8"),        // surrogate
      bad("email", "\xC0\xAF" "@example.com", "not valid UTF-8"),            // overlong '/'
      bad("email", "foo@example.com\xE2\x82", "not valid UTF-8"),            // truncated
      bad("email", "\xFF" "foo@example.com", "not valid UTF-8"),
      bad("email", repeat("a", 1024), "longer than 254 bytes"),
      bad("email", repeat("a", 1025), "longer than 1024 bytes"),
      bad("email", repeat("a", 5000) + "@" + repeat("b", 5000) + ".com", "identity email: longer than 1024 bytes"),
      bad("email", repeat(" ", 1025), "longer than 1024 bytes"),
  });
}

BOOST_AUTO_TEST_CASE(phone) {
  run(IdentityNormaliser(), {
      ok("phone", "+49 151 1234 5678", "+4915112345678"),
      ok("phone", "0151 12345678", "+4915112345678"),
      ok("phone", "0049 151 12345678", "+4915112345678"),
      ok("phone", "0049-151-12345678", "+4915112345678"),
      ok("phone", "+49 (0)151 12345678", "+4915112345678"),
      ok("phone", "(0151) 123.456-78", "+4915112345678"),
      ok("phone", "0151/12345678", "+4915112345678"),
      ok("phone", " +4915112345678\n", "+4915112345678"),
      ok("phone", "030 123456", "+4930123456"),
      ok("phone", "+1 (650) 253-0000", "+16502530000"),
      ok("phone", "+39 06 1234 5678", "+390612345678"),  // Italy keeps its leading zero
      bad("phone", "1-800-MICROSOFT", "identity phone: contains letters"),
      bad("phone", "+49 151 12345678 ext. 12", "contains letters"),
      bad("phone", "tel:+49-151-12345678", "contains letters"),
      bad("phone", "+49 151 12345678 #12", "may contain only digits"),
      bad("phone", "+49 151 12345678;ext=12", "contains letters"),
      bad("phone", "+49 151 12345678;12", "may contain only digits"),
      bad("phone", "++49 151 12345678", "may contain only digits"),
      bad("phone", "0151+12345678", "may contain only digits"),
      bad("phone", "+49 151 12345678'", "may contain only digits"),
      bad("phone", "\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x95\xEF\xBC\x91 12345678", "may contain only digits"),  // full-width
      bad("phone", "' OR 1=1 --", "contains letters"),
      bad("phone", "--- ()", "contains no digits"),
      bad("phone", "+", "contains no digits"),
      bad("phone", "112", "not a valid number"),
      bad("phone", "0151 123", "not a valid number"),
      bad("phone", "+49 999 12345678", "not a valid number"),
      bad("phone", "+999 12345678", "unknown country calling code"),
      bad("phone", "0151 1234567890123456789", "too long"),
      bad("phone", "+49 151 1234\t5678", "control"),
      bad("phone", "+49 151 12345678\0"s, "control"),
      bad("phone", "+49 151 \xC3\x28", "not valid UTF-8"),
      bad("phone", repeat("1", 10 * 1024), "longer than 1024 bytes"),
  });
}

BOOST_AUTO_TEST_CASE(phone_in_another_default_region) {
  IdentityPolicy policy;
  policy.phone_default_region = "US";
  IdentityNormaliser us(policy);
  BOOST_TEST(us.validate_policy().ok());
  run(us, {
      ok("phone", "(650) 253-0000", "+16502530000"),
      ok("phone", "011 49 151 12345678", "+4915112345678"),  // the US international prefix
      ok("phone", "+49 151 12345678", "+4915112345678"),
      bad("phone", "0049 151 12345678", "not a valid number"),  // "00" is not an exit code there
  });
}

BOOST_AUTO_TEST_CASE(telegram_id) {
  const std::string error = "identity telegram_id: expected a positive integer that fits in 64 bits";
  run(IdentityNormaliser(), {
      ok("telegram_id", "42", "42"),
      ok("telegram_id", " 0042\n", "42"),
      ok("telegram_id", "9223372036854775807", "9223372036854775807"),
      ok("telegram_id", repeat("0", 1000) + "7", "7"),
      bad("telegram_id", "0", error),
      bad("telegram_id", "000", error),
      bad("telegram_id", "-5", error),
      bad("telegram_id", "+5", error),
      bad("telegram_id", "1e3", error),
      bad("telegram_id", "0x10", error),
      bad("telegram_id", "12 34", error),
      bad("telegram_id", "12.0", error),
      bad("telegram_id", "9223372036854775808", error),
      bad("telegram_id", "18446744073709551616", error),
      bad("telegram_id", repeat("9", 1024), error),
      bad("telegram_id", "\xEF\xBC\x94\xEF\xBC\x92", error),  // full-width "42"
      bad("telegram_id", "42' OR 1=1 --", error),
      bad("telegram_id", "", "identity telegram_id: empty"),
      bad("telegram_id", "42\0"s, "control"),
      bad("telegram_id", repeat("9", 1025), "longer than 1024 bytes"),
  });
}

BOOST_AUTO_TEST_CASE(username) {
  run(IdentityNormaliser(), {
      ok("username", "@Jane_Doe", "jane_doe"),
      ok("username", "  john.smith-1 \n", "john.smith-1"),
      ok("username", "x", "x"),
      ok("username", repeat("a", 64), repeat("a", 64)),
      ok("username", "@" + repeat("A", 64), repeat("a", 64)),
      bad("username", "@", "identity username: empty"),
      bad("username", "@@jane", "may contain only"),
      bad("username", repeat("a", 65), "longer than 64 characters"),
      bad("username", "jane doe", "may contain only"),
      bad("username", "j\xC3\xA4ne", "may contain only"),
      bad("username", "jane@example", "may contain only"),
      bad("username", "' OR 1=1 --", "may contain only"),
      bad("username", "\"jane\"", "may contain only"),
      bad("username", "<script>", "may contain only"),
      bad("username", "jane\0doe"s, "control"),
      bad("username", "\xC0\xAF" "jane", "not valid UTF-8"),
      bad("username", repeat("a", 10 * 1024), "longer than 1024 bytes"),
  });
}

BOOST_AUTO_TEST_CASE(custom_kinds) {
  IdentityPolicy policy;
  policy.custom_kinds = {
      {"customer_no", "C-[0-9]{6}", false},
      {"iban", "[a-z]{2}[0-9]{2}[a-z0-9]{11,30}", true},
      {"alt", "a|ab", false},            // the whole value must match, not just the first alternative
      {"accept", "a(*ACCEPT)b", false},  // (*ACCEPT) ends a match early
      {"anything", ".+", false},
      {"name", "\\p{L}+", false},  // UTF-8 mode: \p and '.' see code points
  };
  IdentityNormaliser normaliser(policy);
  BOOST_TEST_REQUIRE(normaliser.validate_policy().ok(), normaliser.validate_policy().error());
  run(normaliser, {
      ok("customer_no", " C-123456 ", "C-123456"),
      ok("iban", "DE89370400440532013000", "de89370400440532013000"),
      ok("alt", "a", "a"),
      ok("alt", "ab", "ab"),
      ok("accept", "a", "a"),
      ok("anything", "x' OR 1=1 --", "x' OR 1=1 --"),
      ok("name", "J\xC3\xBCrgen", "J\xC3\xBCrgen"),
      bad("customer_no", "c-123456", "identity customer_no: does not match the pattern"),
      bad("customer_no", "C-1234567", "does not match"),
      bad("customer_no", "xC-123456", "does not match"),
      bad("customer_no", "C-123456\nC-654321", "control"),
      bad("customer_no", "C-12345\0"s, "control"),
      bad("iban", "DE89 3704 0044 0532 0130 00", "does not match"),
      bad("alt", "abc", "does not match"),
      bad("accept", "ab", "does not match"),
      bad("anything", "", "identity anything: empty"),
      bad("anything", "\xED\xA0\x80", "not valid UTF-8"),
      bad("anything", "a\xE2\x80\xAE" "b", "invisible"),
      bad("anything", repeat("x", 1025), "longer than 1024 bytes"),
  });
  BOOST_TEST(normaliser.knows_kind("iban"));
  BOOST_TEST(!normaliser.knows_kind("IBAN"));
  const std::vector<std::string> expected{"email", "phone",  "telegram_id", "username", "customer_no",
                                          "iban",  "alt",    "accept",      "anything", "name"};
  BOOST_TEST(normaliser.kinds() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(catastrophic_pattern_is_an_error_not_a_hang_or_exception) {
  IdentityPolicy policy;
  policy.custom_kinds = {{"slow", "(a+)+b", false}};
  IdentityNormaliser normaliser(policy);
  // PCRE's match limit stops the backtracking after a fraction of a second.
  const auto result = normaliser.normalise("slow", repeat("a", 1000) + "!");
  BOOST_TEST_REQUIRE(!result.ok());
  BOOST_TEST(result.error() == "identity slow: could not be checked against the pattern configured for this kind");
}

BOOST_AUTO_TEST_CASE(unknown_kinds_are_named_safely) {
  IdentityPolicy policy;
  policy.custom_kinds = {{"iban", "[a-z0-9]+", true}};
  IdentityNormaliser normaliser(policy);

  auto fax = normaliser.normalise("fax", "+49 30 123456");
  BOOST_TEST_REQUIRE(!fax.ok());
  BOOST_TEST(fax.error() == "unknown identity kind 'fax' (known: email, phone, telegram_id, username, iban)");

  BOOST_TEST(!normaliser.knows_kind("Email"));
  BOOST_TEST(!normaliser.normalise("Email", "a@example.com").ok());

  const std::vector<std::string> hostile{"x' OR 1=1 --", "a\nb\0c"s, "\xC3\x28", "\xE2\x80\xAE" "evil", "\"q\"\\",
                                         repeat("k", 10 * 1024), ""};
  for (const auto& kind : hostile) {
    BOOST_TEST_CONTEXT("kind " << quote_for_message(kind)) {
      const auto result = normaliser.normalise(kind, "a@example.com");
      BOOST_TEST_REQUIRE(!result.ok());
      const std::string& message = result.error();
      BOOST_TEST(message.rfind("unknown identity kind '", 0) == 0);
      BOOST_TEST(is_valid_utf8(message));
      BOOST_TEST(!has_control_chars(message));
      BOOST_TEST(message.size() < 200u);
      for (unsigned char c : message) BOOST_TEST((c >= 0x20 && c < 0x7F));
    }
  }
  BOOST_TEST(normaliser.normalise("x' OR 1=1 --", "v").error().find("'x\\x27\\x20OR") != std::string::npos);
  BOOST_TEST(normaliser.normalise("", "v").error().rfind("unknown identity kind ''", 0) == 0);
}

BOOST_AUTO_TEST_CASE(parse_assignment) {
  IdentityPolicy policy;
  policy.custom_kinds = {{"token", "[a-z]+=[a-z]+", false}};
  IdentityNormaliser normaliser(policy);

  auto email = normaliser.parse_assignment("email=Foo@Example.COM");
  BOOST_TEST_REQUIRE(email.ok(), describe(email));
  BOOST_TEST((*email == Identity{"email", "foo@example.com"}));

  auto spaced = normaliser.parse_assignment(" phone = 0151 12345678 ");
  BOOST_TEST_REQUIRE(spaced.ok(), describe(spaced));
  BOOST_TEST((*spaced == Identity{"phone", "+4915112345678"}));

  auto split_at_first = normaliser.parse_assignment("token=abc=def");
  BOOST_TEST_REQUIRE(split_at_first.ok(), describe(split_at_first));
  BOOST_TEST(split_at_first->value == "abc=def");

  for (const std::string text : {"Foo@Example.COM", "=Foo@Example.COM", " =Foo@Example.COM", "", "secret-value"}) {
    BOOST_TEST_CONTEXT("text " << quote_for_message(text)) {
      const auto result = normaliser.parse_assignment(text);
      BOOST_TEST_REQUIRE(!result.ok());
      BOOST_TEST(result.error().find("KIND=VALUE") != std::string::npos);
      if (!text.empty()) BOOST_TEST(result.error().find(trim(text)) == std::string::npos);
    }
  }

  auto empty_value = normaliser.parse_assignment("email=");
  BOOST_TEST_REQUIRE(!empty_value.ok());
  BOOST_TEST(empty_value.error() == "identity email: empty");

  auto bad_value = normaliser.parse_assignment("email=jane.doe.example.com");
  BOOST_TEST_REQUIRE(!bad_value.ok());
  BOOST_TEST(bad_value.error() == "identity email: missing '@'");

  auto unknown = normaliser.parse_assignment("fax=+49 30 123456");
  BOOST_TEST_REQUIRE(!unknown.ok());
  BOOST_TEST(unknown.error().rfind("unknown identity kind 'fax'", 0) == 0);
  BOOST_TEST(unknown.error().find("123456") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(validate_policy_reports_each_problem) {
  struct PolicyCase {
    std::string what;
    IdentityPolicy policy;
    std::vector<std::string> errors;  // empty: the policy is fine
  };
  auto with_kinds = [](std::vector<CustomIdentityKind> kinds) {
    IdentityPolicy policy;
    policy.custom_kinds = std::move(kinds);
    return policy;
  };
  auto with_region = [](std::string region) {
    IdentityPolicy policy;
    policy.phone_default_region = std::move(region);
    return policy;
  };
  const std::vector<PolicyCase> cases{
      {"default", IdentityPolicy{}, {}},
      {"good kinds", with_kinds({{"a", "x", false}, {"customer_no_2", "[0-9]+", true}, {repeat("z", 32), ".", false}}), {}},
      {"region GB", with_region("GB"), {}},
      {"lower-case region", with_region("de"), {"phone default region 'de' is not a region libphonenumber knows"}},
      {"unknown region", with_region("XX"), {"'XX' is not a region"}},
      {"empty region", with_region(""), {"phone default region '' is not"}},
      {"non-geographic region", with_region("001"), {"'001' is not"}},
      {"hostile region", with_region("D\xC3\xA9" + repeat("\xC3\xA9", 30)), {"'D\\xc3\\xa9\\xc3\\xa9"}},
      {"upper-case name", with_kinds({{"Iban", "x", false}}), {"custom identity kind 'Iban': the name must match"}},
      {"leading digit", with_kinds({{"1abc", "x", false}}), {"'1abc': the name must match"}},
      {"dash", with_kinds({{"a-b", "x", false}}), {"'a-b': the name must match"}},
      {"empty name", with_kinds({{"", "x", false}}), {"custom identity kind '': the name must match"}},
      {"33 chars", with_kinds({{repeat("z", 33), "x", false}}), {"the name must match"}},
      {"hostile name", with_kinds({{"a'\n\xFF", "x", false}}), {"'a\\x27\\x0a\\xff': the name must match"}},
      {"built-in", with_kinds({{"email", ".+", false}}), {"'email': the name is taken by a built-in kind"}},
      {"duplicate", with_kinds({{"iban", "x", false}, {"iban", "y", false}}), {"'iban': defined more than once"}},
      {"unbalanced", with_kinds({{"bad", "(", false}}), {"'bad': the pattern does not compile: "}},
      {"escaping wrapper", with_kinds({{"bad", "a)|(b", false}}), {"'bad': the pattern does not compile"}},
      {"unterminated \\Q", with_kinds({{"bad", "\\Qabc", false}}), {"'bad': the pattern does not compile: it cannot be anchored"}},
      {"everything at once",
       IdentityPolicy{"zz", {{"Bad", "x", false}, {"phone", "x", false}, {"ok", "[", false}}},
       {"region 'zz'", "'Bad': the name must match", "'phone': the name is taken", "'ok': the pattern does not compile"}},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const IdentityNormaliser normaliser(c.policy);
      const Status status = normaliser.validate_policy();
      if (c.errors.empty()) {
        BOOST_TEST(status.ok(), "unexpected: " << status.error());
        continue;
      }
      BOOST_TEST_REQUIRE(!status.ok());
      BOOST_TEST(status.error().rfind("identity policy: ", 0) == 0, status.error());
      BOOST_TEST(!has_control_chars(status.error()));
      BOOST_TEST(is_valid_utf8(status.error()));
      for (const auto& expected : c.errors) {
        BOOST_TEST(status.error().find(expected) != std::string::npos, status.error() << " lacks " << expected);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_policy_entries_are_not_usable) {
  IdentityPolicy policy;
  policy.phone_default_region = "XX";
  policy.custom_kinds = {{"Bad", "x", false}, {"email", ".+", false}, {"broken", "(", false},
                         {"dup", "a", false}, {"dup", "b", false}};
  IdentityNormaliser normaliser(policy);

  BOOST_TEST(!normaliser.knows_kind("Bad"));
  BOOST_TEST(normaliser.knows_kind("broken"));
  // The built-in email kind is not replaced by a custom one that accepts anything.
  BOOST_TEST(!normaliser.normalise("email", "not an email").ok());
  // The first definition of a repeated name counts.
  BOOST_TEST(normaliser.normalise("dup", "a").ok());
  BOOST_TEST(!normaliser.normalise("dup", "b").ok());

  const auto broken = normaliser.normalise("broken", "(");
  BOOST_TEST_REQUIRE(!broken.ok());
  BOOST_TEST(broken.error() == "identity broken: the pattern configured for this kind does not compile");

  // Without a usable default region only international numbers can be read.
  const auto national = normaliser.normalise("phone", "0151 12345678");
  BOOST_TEST_REQUIRE(!national.ok());
  BOOST_TEST(national.error().find("no usable default region") != std::string::npos);
  const auto international = normaliser.normalise("phone", "+49 151 12345678");
  BOOST_TEST_REQUIRE(international.ok(), describe(international));
  BOOST_TEST(international->value == "+4915112345678");
}

BOOST_AUTO_TEST_CASE(moves_keep_the_policy) {
  IdentityPolicy policy;
  policy.custom_kinds = {{"iban", "[a-z0-9]+", true}};
  IdentityNormaliser first(policy);
  IdentityNormaliser second(std::move(first));
  BOOST_TEST(second.normalise("iban", "DE89").ok());
  IdentityNormaliser third;
  third = std::move(second);
  BOOST_TEST(third.knows_kind("iban"));
  BOOST_TEST(third.normalise("iban", "DE89")->value == "de89");
}
