#include "tests/support/test_store.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <soci/mysql/soci-mysql.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "dsr/common/crypto.h"
#include "dsr/state/migrations.h"

namespace dsr::test {

std::string engine_name() {
  const char* engine = std::getenv("DSR_TEST_ENGINE");
  return engine && std::string(engine) == "mysql" ? "mysql" : "sqlite";
}

namespace {

std::string read_mysql_base() {
  const char* file = std::getenv("DSR_TEST_MYSQL_FILE");
  if (!file) throw std::runtime_error("DSR_TEST_ENGINE=mysql needs DSR_TEST_MYSQL_FILE (run through ctest)");
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line) || line.empty()) {
    throw std::runtime_error(std::string("cannot read the MariaDB connection from ") + file);
  }
  return line;
}

}  // namespace

TestStore::TestStore() {
  folder_ = Poco::TemporaryFile::tempName();
  Poco::File(folder_).createDirectories();
  if (engine_name() == "mysql") {
    mysql_base_ = read_mysql_base();
    mysql_database_ = "dsr_t_" + to_hex(random_bytes(6));
    soci::session admin(soci::mysql, mysql_base_);
    admin << "CREATE DATABASE " + mysql_database_ + " CHARACTER SET utf8mb4";
    connection_.engine = StoreEngine::mysql;
    connection_.mysql_connection = mysql_base_ + " db=" + mysql_database_;
  } else {
    connection_.engine = StoreEngine::sqlite;
    connection_.sqlite_path = Poco::Path(folder_, "state.sqlite").toString();
  }
}

TestStore::~TestStore() {
  try {
    if (!mysql_database_.empty()) {
      soci::session admin(soci::mysql, mysql_base_);
      admin << "DROP DATABASE IF EXISTS " + mysql_database_;
    }
    Poco::File(folder_).remove(true);
  } catch (const std::exception&) {
    // A leftover scratch database or folder must not fail the test that used it.
  }
}

std::unique_ptr<Database> TestStore::open() const {
  auto db = Database::open(connection_);
  if (!db) throw std::runtime_error(db.error());
  return std::move(*db);
}

std::unique_ptr<Database> TestStore::open_initialised() const {
  auto db = open();
  if (Status s = migrate(*db); !s) throw std::runtime_error(s.error());
  return db;
}

}  // namespace dsr::test
