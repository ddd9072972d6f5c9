#include "dsr/run/objection.h"

#include <algorithm>
#include <set>

#include "dsr/common/crypto.h"

namespace dsr {

namespace {

CollectionObjection& entry_for(std::vector<CollectionObjection>& report, const DatasetMapping& mapping,
                               const std::string& collection, bool suppression) {
  for (auto& e : report) {
    if (e.dataset == mapping.dataset && e.collection == collection && e.suppression == suppression) return e;
  }
  CollectionObjection e;
  e.dataset = mapping.dataset;
  e.connector = mapping.connector;
  e.collection = collection;
  e.suppression = suppression;
  if (suppression) {
    for (const auto& f : mapping.suppression->fields) e.fields.push_back(f.field);
  } else {
    for (const auto& [field, value] : mapping.collection(collection)->objection.set) e.fields.push_back(field);
  }
  report.push_back(std::move(e));
  return report.back();
}

}  // namespace

std::vector<Value> DatasetObjector::suppression_keys(const std::vector<Identity>& identities) const {
  std::vector<Value> keys;
  const SuppressionField* field = mapping_.suppression->identity_field();
  for (const auto& identity : identities) {
    if (identity.kind != field->identity_kind) continue;
    Value key = field->sha256 ? sha256_hex(identity.value) : identity.value;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  }
  return keys;
}

MatchSpec DatasetObjector::suppression_match(const Value& key) const {
  const SuppressionField* field = mapping_.suppression->identity_field();
  return {mapping_.suppression->collection, field->field, MatchMode::exact, StoredAs::text, {key}};
}

Status DatasetObjector::apply(const std::vector<Identity>& identities, std::vector<CollectionObjection>& report) {
  Discovery discovery(mapping_, connector_);
  discovery.skip_context();
  if (Status s = discovery.resolve(identities); !s) return s;
  matches_at_start_ = discovery.owned_matches();
  for (const auto& collection : mapping_.collections) {
    if (collection.objection.set.empty()) continue;
    const std::string step_name = "object:" + mapping_.dataset + "." + collection.name;
    CollectionObjection& entry = entry_for(report, mapping_, collection.name, false);
    if (journal_) {
      auto recorded = journal_->recorded(step_name);
      if (!recorded) return recorded.take_error();
      entry.rows_changed += recorded->rows;
      if (recorded->done) continue;
    }
    for (const auto& match : matches_at_start_) {
      if (match.collection != collection.name) continue;
      EraseStep step;
      step.match = match;
      step.primary_key = collection.primary_key;
      step.chunk_rows = chunk_rows_;
      step.delete_rows = false;
      for (const auto& [field, value] : collection.objection.set) {
        step.assignments.push_back({field, [value](const Value&) { return value; }, value});
      }
      if (journal_) {
        step.after_chunk = [this, &step_name](std::uint64_t rows) { return journal_->chunk_committed(step_name, rows); };
      }
      auto done = connector_.erase(step);
      if (!done) return done.take_error();
      entry.rows_changed += done->rows;
    }
    if (journal_) {
      if (Status s = journal_->collection_done(step_name, std::nullopt); !s) return s;
    }
  }
  if (!mapping_.suppression) return Status::Ok();
  CollectionObjection& entry = entry_for(report, mapping_, mapping_.suppression->collection, true);
  for (const Value& key : suppression_keys(identities)) {
    auto present = connector_.count(suppression_match(key));
    if (!present) return present.take_error();
    if (*present > 0) continue;
    std::vector<std::string> fields;
    Row row;
    for (const auto& f : mapping_.suppression->fields) {
      fields.push_back(f.field);
      row.push_back(f.identity_kind.empty() ? Value(f.fixed) : key);
    }
    if (Status s = connector_.insert(mapping_.suppression->collection, fields, row); !s) return s;
    ++entry.rows_changed;
  }
  return Status::Ok();
}

Status DatasetObjector::verify(const std::vector<Identity>& identities, std::vector<CollectionObjection>& report) {
  Discovery fresh(mapping_, connector_);
  fresh.skip_context();
  if (Status s = fresh.resolve(identities); !s) return s;
  const std::vector<MatchSpec> checks = verification_checks(matches_at_start_, fresh.owned_matches());
  for (auto& e : report) {
    if (e.dataset == mapping_.dataset) e.residue = 0;
  }
  std::set<std::string> counted;
  for (const auto& match : checks) {
    const CollectionMapping* collection = mapping_.collection(match.collection);
    if (collection->objection.set.empty()) continue;
    CollectionObjection& entry = entry_for(report, mapping_, collection->name, false);
    std::vector<std::string> fields = collection->primary_key;
    for (const auto& [field, value] : collection->objection.set) fields.push_back(field);
    Status read = connector_.fetch({match, fields, collection->primary_key}, [&](const Row& row) -> Status {
      bool as_set = true;
      for (std::size_t i = 0; as_set && i < collection->objection.set.size(); ++i) {
        as_set = value_key(row[collection->primary_key.size() + i]) == value_key(collection->objection.set[i].second);
      }
      if (as_set) return Status::Ok();
      std::string key = collection->name;
      for (std::size_t i = 0; i < collection->primary_key.size(); ++i) key += "\x1f" + value_key(row[i]);
      if (counted.insert(key).second) ++entry.residue;
      return Status::Ok();
    });
    if (!read) return read;
  }
  if (mapping_.suppression) {
    CollectionObjection& entry = entry_for(report, mapping_, mapping_.suppression->collection, true);
    for (const Value& key : suppression_keys(identities)) {
      auto present = connector_.count(suppression_match(key));
      if (!present) return present.take_error();
      if (*present == 0) ++entry.residue;
    }
  }
  for (auto& e : report) {
    if (e.dataset == mapping_.dataset) e.verified = e.residue == 0;
  }
  return Status::Ok();
}

}  // namespace dsr
