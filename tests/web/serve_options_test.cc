#define BOOST_TEST_MODULE dsr serve : options
#include <boost/test/unit_test.hpp>

#include "dsr/serve/options.h"

using namespace dsr;

BOOST_AUTO_TEST_CASE(listen_addresses) {
  struct Case {
    std::string text;
    bool ok;
    std::string host;
    unsigned port;
  };
  const std::vector<Case> cases = {
      {"127.0.0.1:8080", true, "127.0.0.1", 8080},
      {"0.0.0.0:0", true, "0.0.0.0", 0},
      {"[::1]:443", true, "::1", 443},
      {"localhost:65535", true, "localhost", 65535},
      {"127.0.0.1", false, "", 0},
      {":8080", false, "", 0},
      {"127.0.0.1:", false, "", 0},
      {"127.0.0.1:65536", false, "", 0},
      {"127.0.0.1:80x", false, "", 0},
      {"127.0.0.1:-1", false, "", 0},
  };
  for (const auto& c : cases) {
    auto parsed = serve::parse_listen_address(c.text, "--listen");
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_TEST(parsed.ok() == c.ok);
      if (parsed.ok() && c.ok) {
        BOOST_TEST(parsed->host == c.host);
        BOOST_TEST(parsed->port == c.port);
      }
      if (!parsed.ok()) BOOST_TEST(parsed.error().rfind("--listen: ", 0) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_serve_section_with_its_defaults) {
  auto config = parse_config(R"({"state": {"sqlite": "s.sqlite"}})", "/srv/dsr/dsr.json");
  BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? std::string() : config.error()));
  auto options = serve::read_serve_options(*config);
  BOOST_REQUIRE(options.ok());
  BOOST_TEST(options->listen.host == "127.0.0.1");
  BOOST_TEST(options->listen.port == 8080u);
  BOOST_TEST(options->session_idle_minutes == 30);
  BOOST_TEST(options->batch_interval_minutes == 15);
  BOOST_TEST(!options->erasure_two_officers);
  BOOST_TEST(!options->tls());

  config = parse_config(
      R"({"serve": {"listen": "[::]:8443", "session_idle_minutes": 5, "batch_interval_minutes": 0,
                                      "erasure_two_officers": true, "threads": 4,
                                      "tls": {"certificate": "tls/cert.pem", "private_key": "/etc/dsr/key.pem"}}})",
      "/srv/dsr/dsr.json");
  BOOST_REQUIRE_MESSAGE(config.ok(), (config.ok() ? std::string() : config.error()));
  options = serve::read_serve_options(*config);
  BOOST_REQUIRE(options.ok());
  BOOST_TEST(options->listen.host == "::");
  BOOST_TEST(options->listen.port == 8443u);
  BOOST_TEST(options->session_idle_minutes == 5);
  BOOST_TEST(options->batch_interval_minutes == 0);
  BOOST_TEST(options->erasure_two_officers);
  BOOST_TEST(options->threads == 4);
  BOOST_TEST(options->tls_certificate == "/srv/dsr/tls/cert.pem");
  BOOST_TEST(options->tls_private_key == "/etc/dsr/key.pem");
}

BOOST_AUTO_TEST_CASE(bad_serve_sections_are_refused_with_their_place) {
  struct Case {
    std::string json;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {R"({"serve": {"listen": "8080"}})", "dsr.json: /serve/listen"},
      {R"({"serve": {"session_idle_minutes": 0}})", "dsr.json: /serve/session_idle_minutes"},
      {R"({"serve": {"tls": {"certificate": "c.pem"}}})", "dsr.json: /serve/tls"},
      {R"({"serve": {"listn": "127.0.0.1:1"}})", "dsr.json: /serve"},
      {R"({"serve": {"listen": "127.0.0.1:99999"}})", "/serve/listen"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.json) {
      auto config = parse_config(c.json, "dsr.json");
      std::string error = config.ok() ? "" : config.error();
      if (config.ok()) {
        auto options = serve::read_serve_options(*config);
        error = options.ok() ? "" : options.error();
      }
      BOOST_TEST(error.find(c.expected) != std::string::npos, "error: " << error);
    }
  }
}
