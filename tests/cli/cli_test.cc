#define BOOST_TEST_MODULE dsr command line
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

using Run = test::DsrRun;
using test::run_dsr;
using test::trimmed;

struct Installation {
  test::TestStore store;
  std::string config = Poco::Path(store.folder(), "dsr.json").toString();

  Installation() {
    std::ofstream file(config);
    file << "{\n  \"state\": ";
    if (store.engine() == StoreEngine::sqlite) {
      file << "{\"engine\": \"sqlite\", \"sqlite\": \"state.sqlite\"}";
    } else {
      file << "{\"engine\": \"mysql\", \"mysql\": \"" << store.connection().mysql_connection << "\"}";
    }
    file << ",\n  \"identities\": {\"phone_default_region\": \"DE\","
            " \"custom\": [{\"name\": \"crm_id\", \"pattern\": \"^C[0-9]{4}$\"}]}\n}\n";
    file.close();
    Run init = dsr({"init"});
    BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
    Run officer = dsr({"officer", "add", "olga", "--role", "officer"}, "a long enough password\n");
    BOOST_REQUIRE_MESSAGE(officer.code == 0, officer.err);
    BOOST_REQUIRE(dsr({"officer", "add", "audrey", "--role", "auditor"}, "a long enough password\n").code == 0);
  }

  Run dsr(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {"--config", config});
    return run_dsr(args, input);
  }

  std::string submit(const std::string& identity, const std::string& type = "access") {
    Run r = dsr({"submit", "--type", type, "--identity", identity, "--verified"});
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    return trimmed(r.out);
  }

  // Everything an operation could change, as the CLI itself reports it (without the
  // days left, which move with the clock).
  std::string state() {
    const std::string listing = std::regex_replace(dsr({"--json", "list"}).out, std::regex("\"days_left\": -?[0-9]+"), "");
    return listing + dsr({"audit", "export"}).out;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(init_creates_config_key_and_store_and_is_idempotent) {
  test::TestStore scratch;
  const std::string config = Poco::Path(scratch.folder(), "fresh/dsr.json").toString();
  std::filesystem::create_directories(Poco::Path(config).parent().toString());
  Run first = run_dsr({"--config", config, "init"});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  BOOST_TEST(first.out.find("wrote default config") != std::string::npos);
  const std::string folder = Poco::Path(config).parent().toString();
  struct stat key {};
  BOOST_REQUIRE(::stat((folder + "dsr.key").c_str(), &key) == 0);
  BOOST_TEST((key.st_mode & 0777) == 0600u);
  BOOST_TEST(std::filesystem::exists(folder + "dsr-state.sqlite"));
  BOOST_TEST(std::filesystem::is_directory(folder + "exports"));
  Run again = run_dsr({"--config", config, "init"});
  BOOST_TEST(again.code == 0);
  BOOST_TEST(again.out.find("unchanged") != std::string::npos);
  BOOST_TEST(run_dsr({"--config", config, "audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(commands_before_init_say_so) {
  test::TestStore scratch;
  const std::string config = Poco::Path(scratch.folder(), "dsr.json").toString();
  std::ofstream(config) << "{\"state\": {\"engine\": \"sqlite\", \"sqlite\": \"s.sqlite\"}}";
  Run r = run_dsr({"--config", config, "list"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("run `dsr init`") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_config_names_file_and_pointer) {
  test::TestStore scratch;
  const std::string config = Poco::Path(scratch.folder(), "dsr.json").toString();
  std::ofstream(config) << "{\"state\": {\"engine\": \"sqlite\", \"sqlite\": 5}}";
  Run r = run_dsr({"--config", config, "list"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("dsr.json: /state/sqlite: expected a string") != std::string::npos, r.err);
  std::ofstream(config) << "{\"state\": ";
  Run broken = run_dsr({"--config", config, "init"});
  BOOST_TEST(broken.code == 1);
  BOOST_TEST(broken.err.find("dsr.json") != std::string::npos, broken.err);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run_dsr({}).code == 2);
  BOOST_TEST(run_dsr({"frobnicate"}).code == 2);
  BOOST_TEST(run_dsr({"submit", "--type"}).code == 2);
  BOOST_TEST(run_dsr({"submit", "--type", "delete", "--identity", "email=a@b.de"}).code == 2);
  BOOST_TEST(run_dsr({"list", "--colour"}).code == 2);
  BOOST_TEST(run_dsr({"audit"}).code == 2);
  BOOST_TEST(run_dsr({"help"}).code == 0);
}

// dsr runs the network commands by replacing itself with dsr-net, next to it.
BOOST_AUTO_TEST_CASE(network_commands_run_in_dsr_net) {
  // Only dsr-net parses serve's options: the message proves the arguments arrived.
  Run bad_option = run_dsr({"--config", "no-such.json", "serve", "--colour"});
  BOOST_TEST(bad_option.code == 2);
  BOOST_TEST(bad_option.err.find("unknown option --colour for 'serve'") != std::string::npos, bad_option.err);

  // A dsr without dsr-net beside it (a hard link: /proc/self/exe then names its folder)
  // says what is missing instead of failing obscurely.
  namespace fs = std::filesystem;
  const fs::path lonely = fs::path(test::dsr_binary()).parent_path() / "cli_test_lonely_dsr";
  fs::remove_all(lonely);
  fs::create_directory(lonely);
  std::error_code linked;
  fs::create_hard_link(test::dsr_binary(), lonely / "dsr", linked);
  BOOST_TEST_REQUIRE(!linked, linked.message());
  Poco::Pipe in, out, err;
  Poco::ProcessHandle child = Poco::Process::launch((lonely / "dsr").string(), {"controller", "list"}, &in, &out, &err);
  in.close();
  Poco::PipeInputStream err_stream(err);
  std::string said;
  Poco::StreamCopier::copyToString(err_stream, said);
  const int code = child.wait();
  fs::remove_all(lonely);
  BOOST_TEST(code == 1);
  BOOST_TEST(said.find("'controller list' runs in dsr-net, installed next to dsr: " + (lonely / "dsr-net").string() +
                       ": No such file or directory") != std::string::npos,
             said);
}

BOOST_AUTO_TEST_CASE(lifecycle_through_the_cli) {
  Installation dsr;
  const std::string id = dsr.submit("email=Jane.Doe@Example.COM");
  BOOST_TEST(id.size() == 36u);
  Run approved = dsr.dsr({"approve", id, "--officer", "olga", "--note", "checked"});
  BOOST_TEST_REQUIRE(approved.code == 0, approved.err);
  BOOST_TEST(approved.out.find("approved") != std::string::npos);

  Run listed = dsr.dsr({"--json", "list", "--status", "approved"});
  BOOST_REQUIRE(listed.code == 0);
  auto array = Poco::JSON::Parser().parse(listed.out).extract<Poco::JSON::Array::Ptr>();
  BOOST_REQUIRE(array->size() == 1u);
  auto request = array->getObject(0);
  BOOST_TEST(request->getValue<std::string>("id") == id);
  BOOST_TEST(request->getValue<std::string>("due_at").size() == 20u);
  BOOST_TEST(!request->getValue<bool>("overdue"));
  // Identities are shown masked, never in full.
  BOOST_TEST(listed.out.find("jane.doe@example.com") == std::string::npos);
  BOOST_TEST(listed.out.find("j*******@e******.com") != std::string::npos);

  Run shown = dsr.dsr({"show", id});
  BOOST_TEST(shown.code == 0);
  BOOST_TEST(shown.out.find("pending_approval -> approved") != std::string::npos);

  // Approving twice is an error that changes nothing.
  const std::string before = dsr.state();
  Run twice = dsr.dsr({"approve", id, "--officer", "olga"});
  BOOST_TEST(twice.code == 1);
  BOOST_TEST(twice.err.find("cannot approve in status approved") != std::string::npos);
  BOOST_TEST(dsr.state() == before);

  Run extended = dsr.dsr({"extend", id, "--officer", "olga", "--reason", "many stores"});
  BOOST_TEST(extended.code == 0, extended.err);
  BOOST_TEST(dsr.dsr({"extend", id, "--officer", "olga", "--reason", "again"}).code == 1);
  BOOST_TEST(dsr.dsr({"audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(hostile_identity_values_are_refused_and_change_nothing) {
  Installation dsr;
  dsr.submit("email=someone@example.com");
  const std::string before = dsr.state();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"email=not-an-email", "identity email"},
      {"email=a'@b.com' OR 1=1 --", "identity email"},
      {"email=\"quoted\"@example.com", "identity email"},
      {"phone=+49 abc", "identity phone"},
      {"phone=12", "identity phone"},
      {"telegram_id=-5", "identity telegram_id"},
      {"telegram_id=99999999999999999999", "identity telegram_id"},
      {"telegram_id=1; DROP TABLE requests", "identity telegram_id"},
      {"crm_id=C12", "identity crm_id"},
      {"email=" + std::string(10240, 'a') + "@example.com", "identity email"},
      {"email=\xC3\x28@example.com", "identity email"},
      {"shoe_size=44", "unknown identity kind"},
      {"no-equals-sign", "KIND=VALUE"},
  };
  for (const auto& [identity, expected] : cases) {
    BOOST_TEST_CONTEXT(identity.substr(0, 60)) {
      Run r = dsr.dsr({"submit", "--type", "erasure", "--identity", identity});
      BOOST_TEST(r.code == 1);
      BOOST_TEST(r.err.find(expected) != std::string::npos, r.err);
      // The value itself is never echoed back.
      if (identity.size() > 20) BOOST_TEST(r.err.find(identity.substr(identity.find('=') + 1)) == std::string::npos);
    }
  }
  const std::string after = dsr.state();
  BOOST_TEST(after == before, "before:\n" << before << "\nafter:\n" << after);
}

BOOST_AUTO_TEST_CASE(auditor_cannot_act) {
  Installation dsr;
  const std::string id = dsr.submit("telegram_id=42");
  Run r = dsr.dsr({"approve", id, "--officer", "audrey"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("read-only") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tampered_audit_row_is_named_by_audit_verify) {
  Installation dsr;
  const std::string id = dsr.submit("email=jane@example.com");
  BOOST_REQUIRE(dsr.dsr({"approve", id, "--officer", "olga"}).code == 0);
  BOOST_REQUIRE(dsr.dsr({"audit", "verify"}).code == 0);
  {
    auto db = dsr.store.open();
    db->session() << "DROP TRIGGER audit_entries_no_update";
    db->session() << "UPDATE audit_entries SET actor = 'officer:mallory' WHERE seq = 4";
  }
  Run r = dsr.dsr({"audit", "verify"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("audit trail broken at entry 4") != std::string::npos, r.err);
  Run json = dsr.dsr({"--json", "audit", "verify"});
  BOOST_TEST(json.code == 1);
  auto o = Poco::JSON::Parser().parse(json.out).extract<Poco::JSON::Object::Ptr>();
  BOOST_TEST(o->getValue<int>("first_bad_entry") == 4);
}

BOOST_AUTO_TEST_CASE(audit_export_writes_a_file_without_personal_data) {
  Installation dsr;
  dsr.submit("email=very.private@example.com");
  const std::string out = dsr.store.folder() + "/audit.jsonl";
  BOOST_REQUIRE(dsr.dsr({"audit", "export", "--out", out}).code == 0);
  std::ifstream file(out);
  std::string all((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  BOOST_TEST(all.find("request.received") != std::string::npos);
  BOOST_TEST(all.find("very.private") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_officers_reminder_address_is_set_changed_and_removed) {
  Installation dsr;
  const auto address_of = [&](const std::string& name) {
    auto db = dsr.store.open();
    std::string email;
    db->session() << "SELECT email FROM officer_emails WHERE name = :n", soci::use(name), soci::into(email);
    return db->session().got_data() ? email : std::string("(none)");
  };
  BOOST_TEST(address_of("olga") == "(none)");
  Run set = dsr.dsr({"officer", "email", "olga", "Olga.Dpo@Example.COM"});
  BOOST_TEST_REQUIRE(set.code == 0, set.err);
  BOOST_TEST(address_of("olga") == "olga.dpo@example.com");  // normalised as an email identity
  BOOST_TEST_REQUIRE(dsr.dsr({"officer", "email", "olga", "olga@dpo.example"}).code == 0);
  BOOST_TEST(address_of("olga") == "olga@dpo.example");

  // Refused, changing nothing: an unknown officer, a malformed address, both or neither form.
  const std::string before = dsr.state();
  Run unknown = dsr.dsr({"officer", "email", "nobody", "n@example.com"});
  BOOST_TEST(unknown.code == 1);
  BOOST_TEST(unknown.err.find("officer nobody: not registered") != std::string::npos, unknown.err);
  Run malformed = dsr.dsr({"officer", "email", "olga", "not an address"});
  BOOST_TEST(malformed.code == 2);
  BOOST_TEST(malformed.err.find("ADDR:") != std::string::npos, malformed.err);
  BOOST_TEST(dsr.dsr({"officer", "email", "olga", "o@example.com", "--none"}).code == 2);
  BOOST_TEST(dsr.dsr({"officer", "email", "olga"}).code == 2);
  BOOST_TEST(dsr.state() == before);
  BOOST_TEST(address_of("olga") == "olga@dpo.example");

  BOOST_TEST_REQUIRE(dsr.dsr({"officer", "email", "olga", "--none"}).code == 0);
  BOOST_TEST(address_of("olga") == "(none)");
  // The trail says that the address changed, never what it is.
  const std::string trail = dsr.dsr({"audit", "export"}).out;
  BOOST_TEST(trail.find("officer.email_changed") != std::string::npos);
  BOOST_TEST(trail.find("dpo.example") == std::string::npos);
  BOOST_TEST(trail.find("olga.dpo") == std::string::npos);
  BOOST_TEST(dsr.dsr({"audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(cli_approval_of_an_erasure_needs_two_officers_when_configured) {
  Installation dsr;
  {
    // The same installation with serve.erasure_two_officers on.
    std::ifstream in(dsr.config);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto last_brace = text.rfind('}');
    text.insert(last_brace, ",\n  \"serve\": {\"erasure_two_officers\": true}\n");
    std::ofstream(dsr.config) << text;
  }
  BOOST_REQUIRE(dsr.dsr({"officer", "add", "otto", "--role", "officer"}, "a long enough password\n").code == 0);
  const std::string erasure = dsr.submit("email=erase.me@example.com", "erasure");

  Run first = dsr.dsr({"approve", erasure, "--officer", "olga"});
  BOOST_TEST_REQUIRE(first.code == 0, first.err);
  BOOST_TEST(first.out.find("pending_approval") != std::string::npos, first.out);
  BOOST_TEST(first.out.find("second officer") != std::string::npos, first.out);

  Run same_again = dsr.dsr({"approve", erasure, "--officer", "olga"});
  BOOST_TEST(same_again.code == 1);
  BOOST_TEST(same_again.err.find("needs a second officer") != std::string::npos, same_again.err);
  Run still = dsr.dsr({"--json", "show", erasure});
  BOOST_TEST(still.out.find("\"pending_approval\"") != std::string::npos, still.out);

  Run second = dsr.dsr({"approve", erasure, "--officer", "otto"});
  BOOST_TEST_REQUIRE(second.code == 0, second.err);
  BOOST_TEST(second.out.find(erasure + " approved") != std::string::npos, second.out);

  // Other types keep needing one approval.
  const std::string access = dsr.submit("email=erase.me@example.com", "access");
  Run single = dsr.dsr({"approve", access, "--officer", "olga"});
  BOOST_TEST_REQUIRE(single.code == 0, single.err);
  BOOST_TEST(single.out.find(access + " approved") != std::string::npos, single.out);
}

BOOST_AUTO_TEST_CASE(cli_approval_of_an_erasure_needs_one_officer_by_default) {
  Installation dsr;
  const std::string erasure = dsr.submit("email=erase.me@example.com", "erasure");
  Run approved = dsr.dsr({"approve", erasure, "--officer", "olga"});
  BOOST_TEST_REQUIRE(approved.code == 0, approved.err);
  BOOST_TEST(approved.out.find(erasure + " approved") != std::string::npos, approved.out);
}
