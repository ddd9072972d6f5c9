#pragma once
// A complete dsr installation for tests that run real `dsr batch` processes: the state
// store on the engine the test run asks for (DSR_TEST_ENGINE), a sample marketing store
// on the same engine as its data store, the sample mapping, a config file, the key,
// and erasure requests approved by an officer.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dsr/audit/subject_key.h"
#include "dsr/common/time.h"
#include "dsr/state/database.h"
#include "tests/support/test_store.h"

namespace dsr::test {

struct InstallationOptions {
  std::size_t subjects = 200;  // in the sample store
  int chunk_rows = 1000;
  int lease_seconds = 300;
  std::string key_source;  // a key file to use instead of a new one (same masks as another installation)
};

class Installation {
 public:
  explicit Installation(const InstallationOptions& options);

  const std::string& config_path() const { return config_path_; }
  std::string key_path() const { return folder_ + "/dsr.key"; }
  std::string export_dir() const { return folder_ + "/exports"; }
  Database& db() { return *db_; }
  const SubjectKey& key() const { return *key_; }

  // Emails of the sample store's first `count` subscribers, in id order, as stored.
  std::vector<std::string> subscriber_emails(std::size_t count);

  // Submits and approves one erasure request per email; returns the request ids.
  std::vector<std::string> approve_erasures(const std::vector<std::string>& emails);

  // Every table of the data store, rows in key order: what erasures leave behind.
  std::string dump_data();

  // What launched processes wrote (stdout and stderr, interleaved).
  std::string worker_log() const;

  // `dsr --config <config> args...` as a child process; returns its pid.
  long long launch(const std::vector<std::string>& args) const;

 private:
  TestStore state_;
  TestStore data_;
  std::string folder_;
  std::string config_path_;
  std::string data_path_;  // SQLite data store
  std::unique_ptr<Database> db_;
  std::unique_ptr<SubjectKey> key_;
  SystemClock clock_;
};

// Counts, per request id, the audit entries of `action` whose detail has "to": to_status
// (empty: any entry of that action).
std::map<std::string, int> audit_counts(Database& db, const SubjectKey& key, const std::string& action,
                                        const std::string& to_status = "");

}  // namespace dsr::test
