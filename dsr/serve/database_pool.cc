#include "dsr/serve/database_pool.h"

namespace dsr::serve {

Result<std::unique_ptr<DatabasePool>> DatabasePool::open(const StoreConnection& connection,
                                                         std::size_t size) {
  std::unique_ptr<DatabasePool> pool(new DatabasePool);
  for (std::size_t i = 0; i < size; ++i) {
    auto db = Database::open(connection);
    if (!db) return db.take_error();
    pool->idle_.push_back(std::move(*db));
  }
  return pool;
}

DatabasePool::Lease::~Lease() {
  if (db_) pool_->give_back(std::move(db_));
}

DatabasePool::Lease DatabasePool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  auto db = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(db));
}

void DatabasePool::give_back(std::unique_ptr<Database> db) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(db));
  }
  available_.notify_one();
}

}  // namespace dsr::serve
