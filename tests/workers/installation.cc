#include "tests/workers/installation.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "dsr/audit/audit_log.h"
#include "dsr/demo/sample_store.h"
#include "dsr/requests/officer_service.h"
#include "dsr/requests/request_service.h"
#include "tests/support/run_dsr.h"

extern char** environ;

namespace dsr::test {

namespace {

std::string json_string(const std::string& text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(text), out);
  return out.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

const char* const kSampleTables[] = {"subscribers", "opt_ins",     "consent_log", "chats",  "messages",
                                     "campaigns",   "link_clicks", "orders",      "invoices"};

}  // namespace

Installation::Installation(const InstallationOptions& options) : folder_(state_.folder()) {
  const bool mysql = engine_name() == "mysql";
  std::string connector;
  if (mysql) {
    if (Status s = create_sample_mysql(data_.connection().mysql_connection, {options.subjects, 42, 1.0}); !s) {
      throw std::runtime_error(s.error());
    }
    connector = "{\"name\": \"marketing\", \"kind\": \"mysql\", \"connection\": " +
                json_string(data_.connection().mysql_connection) + "}";
  } else {
    data_path_ = folder_ + "/marketing.sqlite";
    if (Status s = create_sample_sqlite(data_path_, {options.subjects, 42, 1.0}); !s) {
      throw std::runtime_error(s.error());
    }
    connector = "{\"name\": \"marketing\", \"kind\": \"sqlite\", \"path\": " + json_string(data_path_) + "}";
  }
  write_file(folder_ + "/marketing.dataset.json", sample_mapping_json("marketing"));
  const std::string state =
      mysql ? "{\"engine\": \"mysql\", \"mysql\": " + json_string(state_.connection().mysql_connection) + "}"
            : "{\"engine\": \"sqlite\", \"sqlite\": " + json_string(state_.connection().sqlite_path) + "}";
  config_path_ = folder_ + "/dsr.json";
  write_file(config_path_,
             "{\n  \"state\": " + state + ",\n  \"key_file\": \"dsr.key\",\n  \"export_dir\": \"exports\",\n" +
                 "  \"controller\": {\"name\": \"Test Ltd\", \"contact\": \"privacy@test.example\","
                 " \"supervisory_authority\": \"Test DPA\"},\n" +
                 "  \"connectors\": [" + connector + "],\n  \"mappings\": [\"marketing.dataset.json\"],\n" +
                 "  \"erasure\": {\"chunk_rows\": " + std::to_string(options.chunk_rows) + "},\n" +
                 "  \"workers\": {\"lease_seconds\": " + std::to_string(options.lease_seconds) + "}\n}\n");
  if (!options.key_source.empty()) {
    std::ifstream in(options.key_source, std::ios::binary);
    std::ostringstream secret;
    secret << in.rdbuf();
    write_file(folder_ + "/dsr.key", secret.str());
    ::chmod((folder_ + "/dsr.key").c_str(), 0600);
  }
  const DsrRun init = run_dsr({"--config", config_path_, "init"});
  if (init.code != 0) throw std::runtime_error("dsr init failed: " + init.err);
  const DsrRun officer =
      run_dsr({"--config", config_path_, "officer", "add", "olga", "--role", "officer"}, "correct horse battery\n");
  if (officer.code != 0) throw std::runtime_error("dsr officer add failed: " + officer.err);
  db_ = state_.open();
  auto key = SubjectKey::load(folder_ + "/dsr.key");
  if (!key) throw std::runtime_error(key.error());
  key_ = std::make_unique<SubjectKey>(std::move(*key));
}

std::vector<std::string> Installation::subscriber_emails(std::size_t count) {
  std::vector<std::string> emails;
  const std::string query = "SELECT email FROM subscribers WHERE email IS NOT NULL ORDER BY id LIMIT " +
                            std::to_string(count);
  soci::session session;
  if (engine_name() == "mysql") {
    session.open(soci::mysql, data_.connection().mysql_connection);
  } else {
    session.open(soci::sqlite3, "db=\"" + data_path_ + "\"");
  }
  soci::rowset<std::string> rows = session.prepare << query;
  for (const auto& email : rows) emails.push_back(email);
  if (emails.size() != count) throw std::runtime_error("the sample store has fewer subscribers than asked for");
  return emails;
}

std::vector<std::string> Installation::approve_erasures(const std::vector<std::string>& emails) {
  RequestService service(*db_, *key_, clock_);
  std::vector<std::string> ids;
  for (const auto& email : emails) {
    SubmitInput input;
    input.type = RequestType::erasure;
    std::string lowered = email;
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    input.identities = {{"email", lowered}};
    input.identities_proven = true;
    auto submitted = service.submit(input);
    if (!submitted) throw std::runtime_error(submitted.error());
    if (Status s = service.approve(submitted->id, "olga", ""); !s) throw std::runtime_error(s.error());
    ids.push_back(submitted->id);
  }
  return ids;
}

std::string Installation::dump_data() {
  soci::session session;
  if (engine_name() == "mysql") {
    session.open(soci::mysql, data_.connection().mysql_connection);
  } else {
    session.open(soci::sqlite3, "db=\"" + data_path_ + "\"");
  }
  std::string out;
  for (const char* table : kSampleTables) {
    out += std::string("== ") + table + "\n";
    soci::rowset<soci::row> rows = session.prepare << std::string("SELECT * FROM ") + table + " ORDER BY id";
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        out += column_is_null(row, i) ? "NULL" : column_text(row, i);
        out += i + 1 < row.size() ? "|" : "\n";
      }
    }
  }
  return out;
}

std::string Installation::worker_log() const {
  std::ifstream in(folder_ + "/workers.log", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

long long Installation::launch(const std::vector<std::string>& args) const {
  std::vector<std::string> all = {dsr_binary(), "--config", config_path_};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Output goes to a log file, so that no pipe fills up and blocks the child.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log = folder_ + "/workers.log";
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + all[0]);
  return pid;
}

std::map<std::string, int> audit_counts(Database& db, const SubjectKey& key, const std::string& action,
                                        const std::string& to_status) {
  std::map<std::string, int> counts;
  SystemClock clock;
  Status s = AuditLog(db, key, clock).for_each([&](const AuditEntry& e) {
    if (e.action != action) return true;
    if (!to_status.empty()) {
      auto detail = Poco::JSON::Parser().parse(e.detail).extract<Poco::JSON::Object::Ptr>();
      if (!detail->has("to") || detail->getValue<std::string>("to") != to_status) return true;
    }
    ++counts[e.request_id];
    return true;
  });
  if (!s) throw std::runtime_error(s.error());
  return counts;
}

}  // namespace dsr::test
