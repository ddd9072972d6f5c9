#include "dsr/web/dry_run_counts.h"

#include "dsr/run/discovery.h"
#include "dsr/run/stores.h"

namespace dsr::web {

namespace {

// Reads nothing but each collection's key and keeps nothing but the count.
class CountingSink : public CollectionSink {
 public:
  explicit CountingSink(std::vector<CollectionCount>& out) : out_(out) {}
  std::vector<std::string> fields_for(const DatasetMapping&, const CollectionMapping& collection) override {
    return collection.primary_key;
  }
  Status begin(const DatasetMapping& dataset, const CollectionMapping& collection,
               const std::vector<std::string>&) override {
    current_ = {dataset.dataset, collection.name, 0};
    return Status::Ok();
  }
  Status row(const Row&) override { return Status::Ok(); }
  Status end(std::uint64_t rows) override {
    current_.rows = rows;
    if (rows > 0) out_.push_back(current_);
    return Status::Ok();
  }

 private:
  std::vector<CollectionCount>& out_;
  CollectionCount current_;
};

}  // namespace

Result<std::vector<CollectionCount>> dry_run_counts(const WebContext& context, const Request& request) {
  std::vector<Identity> identities;
  for (const auto& identity : request.identities) {
    if (identity.proven) identities.push_back({identity.kind, identity.value});
  }
  std::vector<CollectionCount> counts;
  if (identities.empty() || context.config.mapping_files.empty()) return counts;
  auto stores = open_stores(context.config, context.registry, context.identities);
  if (!stores) return stores.take_error();
  CountingSink sink(counts);
  for (const auto& mapping : stores->mappings) {
    Discovery discovery(mapping, stores->connector_for(mapping));
    if (Status s = discovery.resolve(identities); !s) return s.take_error();
    if (Status s = discovery.stream(sink); !s) return s.take_error();
  }
  return counts;
}

}  // namespace dsr::web
