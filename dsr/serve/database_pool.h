#pragma once
// A few open connections to the state store, shared by the server's threads. A SOCI
// session is single-threaded, so each HTTP request borrows one connection for its
// duration and gives it back; when all are out, the borrower waits.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "dsr/state/database.h"

namespace dsr::serve {

class DatabasePool {
 public:
  // Opens `size` connections up front, so a bad store fails at start-up, not on a request.
  static Result<std::unique_ptr<DatabasePool>> open(const StoreConnection& connection, std::size_t size);

  class Lease {
   public:
    Lease(DatabasePool& pool, std::unique_ptr<Database> db) : pool_(&pool), db_(std::move(db)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Database& operator*() { return *db_; }
    Database* operator->() { return db_.get(); }

   private:
    DatabasePool* pool_;
    std::unique_ptr<Database> db_;
  };

  // Blocks until a connection is free. Thread-safe.
  Lease acquire();

 private:
  DatabasePool() = default;
  void give_back(std::unique_ptr<Database> db);
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Database>> idle_;
};

}  // namespace dsr::serve
