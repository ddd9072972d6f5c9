#pragma once
// A fresh, empty state store for one test, on the engine the test run asks for:
// DSR_TEST_ENGINE=sqlite (default) uses a file in a private temporary folder;
// DSR_TEST_ENGINE=mysql creates a uniquely named database on the server whose
// connection string is in the file named by DSR_TEST_MYSQL_FILE (written by
// scripts/test-services/mariadb), and drops it afterwards.

#include <memory>
#include <string>

#include "dsr/state/database.h"

namespace dsr::test {

class TestStore {
 public:
  TestStore();
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  const StoreConnection& connection() const { return connection_; }
  StoreEngine engine() const { return connection_.engine; }
  // A scratch folder that lives as long as the store.
  const std::string& folder() const { return folder_; }

  // Opens a new connection (several may be open at once).
  std::unique_ptr<Database> open() const;
  // Opens, migrates, and seals an empty audit head with a test key.
  std::unique_ptr<Database> open_initialised() const;

 private:
  StoreConnection connection_;
  std::string folder_;
  std::string mysql_database_;
  std::string mysql_base_;
};

// "sqlite" or "mysql", for test names and messages.
std::string engine_name();

}  // namespace dsr::test
