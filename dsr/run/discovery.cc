#include "dsr/run/discovery.h"

#include <algorithm>

namespace dsr {

std::string value_key(const Value& value) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return "i:" + std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&value)) return "s:" + *s;
  if (const auto* d = std::get_if<double>(&value)) return "d:" + std::to_string(*d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "b:1" : "b:0";
  return "n:";
}

namespace {

bool all_integers(const std::vector<Value>& values) {
  return !values.empty() &&
         std::all_of(values.begin(), values.end(), [](const Value& v) { return std::holds_alternative<std::int64_t>(v); });
}

std::size_t index_of(const std::vector<std::string>& fields, const std::string& name) {
  return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), name) - fields.begin());
}

}  // namespace

StoredAs reference_storage(const DatasetMapping& mapping, const std::string& collection, const std::string& field,
                           const std::vector<Value>& values) {
  const CollectionMapping* c = mapping.collection(collection);
  const FieldMapping* f = c ? c->field(field) : nullptr;
  if (f && f->stored_as == StoredAs::integer) return StoredAs::integer;
  return all_integers(values) ? StoredAs::integer : StoredAs::text;
}

std::vector<Value> Discovery::unseen(const std::string& collection, const std::string& field, bool owned,
                                     const std::vector<Value>& values) {
  auto& queried = queried_[{collection, field, owned}];
  std::vector<Value> out;
  for (const auto& v : values) {
    if (is_null(v)) continue;
    if (queried.insert(value_key(v)).second) out.push_back(v);
  }
  return out;
}

namespace {

void merge_into(std::map<std::string, std::map<std::string, Discovery::Selector>>& selectors, const std::string& collection,
                const std::string& field, MatchMode mode, StoredAs stored_as, const std::vector<Value>& values) {
  Discovery::Selector& selector = selectors[collection][field];
  selector.mode = mode;
  // One field, one binding: integers only if every value so far is one.
  if (selector.values.empty()) selector.stored_as = stored_as;
  if (stored_as == StoredAs::text) selector.stored_as = StoredAs::text;
  for (const auto& v : values) {
    if (selector.seen.insert(value_key(v)).second) selector.values.push_back(v);
  }
}

}  // namespace

void Discovery::add_selector(const Task& task) {
  // A selector that merges reads matched differently is no longer what they matched.
  auto collection = selectors_.find(task.collection);
  if (collection != selectors_.end()) {
    auto field = collection->second.find(task.field);
    if (field != collection->second.end() && !field->second.values.empty() &&
        (field->second.mode != task.mode || field->second.stored_as != task.stored_as)) {
      found_keys_[task.collection].complete = false;
    }
  }
  merge_into(selectors_, task.collection, task.field, task.mode, task.stored_as, task.values);
  if (task.owned) merge_into(owned_selectors_, task.collection, task.field, task.mode, task.stored_as, task.values);
}

std::vector<MatchSpec> Discovery::owned_matches() const {
  std::vector<MatchSpec> out;
  for (const auto& collection : mapping_.collections) {
    auto found = owned_selectors_.find(collection.name);
    if (found == owned_selectors_.end()) continue;
    for (const auto& [field, selector] : found->second) {
      out.push_back({collection.name, field, selector.mode, selector.stored_as, selector.values});
    }
  }
  return out;
}

Status Discovery::resolve(const std::vector<Identity>& identities) {
  references_ = references_of(mapping_);
  std::vector<std::string> kinds;
  for (const auto& identity : identities) kinds.push_back(identity.kind);
  for (const auto& name : reached_collections(mapping_, make_plan(mapping_, kinds))) reachable_.insert(name);

  std::vector<Task> tasks;
  for (const auto& collection : mapping_.collections) {
    for (const auto& field : collection.fields) {
      if (!field.identity) continue;
      std::vector<Value> values;
      for (const auto& identity : identities) {
        if (identity.kind == *field.identity) values.emplace_back(identity.value);
      }
      values = unseen(collection.name, field.name, true, values);
      if (values.empty()) continue;
      tasks.push_back({collection.name, field.name, true, ReachedBy::identity, field.match, field.stored_as,
                       std::move(values)});
    }
  }
  while (!tasks.empty()) {
    std::vector<Task> next;
    for (const auto& task : tasks) {
      if (Status s = run_task(task, next); !s) return s;
    }
    tasks = std::move(next);
  }
  return Status::Ok();
}

Status Discovery::run_task(const Task& task, std::vector<Task>& next) {
  add_selector(task);
  // The fields whose values lead on: keys that children reference (owned rows only)
  // and this collection's own references upward.
  std::vector<const Reference*> downs, ups;
  std::vector<std::string> fields;
  const auto need = [&fields](const std::string& f) {
    if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
  };
  for (const auto& r : references_) {
    if (task.owned && r.parent == task.collection && follows_down(mapping_, r)) {
      downs.push_back(&r);
      need(r.parent_field);
    }
    if (follow_up_ && r.child == task.collection && follows_up(mapping_, r)) {
      ups.push_back(&r);
      need(r.child_field);
    }
  }
  const CollectionMapping* collection = mapping_.collection(task.collection);
  StepReport report{mapping_.dataset, task.collection, task.field, task.reached_by,
                    static_cast<std::uint64_t>(task.values.size()), 0};
  MatchSpec match{task.collection, task.field, task.mode, task.stored_as, task.values};
  if (fields.empty()) {
    found_keys_[task.collection].complete = false;
    auto counted = connector_.count(match);
    if (!counted) return counted.take_error();
    report.rows = *counted;
    steps_.push_back(report);
    return Status::Ok();
  }
  std::map<std::string, std::vector<Value>> found;
  std::map<std::string, std::set<std::string>> found_seen;
  FetchStep step{match, fields, collection ? collection->primary_key : std::vector<std::string>{}};
  FoundKeys& keys = found_keys_[task.collection];
  const std::size_t key_index =
      step.primary_key.size() == 1 ? index_of(fields, step.primary_key.front()) : fields.size();
  if (key_index == fields.size()) keys.complete = false;
  Status fetched = connector_.fetch(step, [&](const Row& row) -> Status {
    ++report.rows;
    if (key_index < row.size() && !is_null(row[key_index]) &&
        keys.seen.insert(value_key(row[key_index])).second) {
      keys.values.push_back(row[key_index]);
    }
    for (std::size_t i = 0; i < fields.size() && i < row.size(); ++i) {
      if (is_null(row[i])) continue;
      if (found_seen[fields[i]].insert(value_key(row[i])).second) found[fields[i]].push_back(row[i]);
    }
    return Status::Ok();
  });
  if (!fetched) return fetched;
  steps_.push_back(report);
  for (const Reference* r : downs) {
    auto values = unseen(r->child, r->child_field, true, found[r->parent_field]);
    if (values.empty()) continue;
    const StoredAs storage = reference_storage(mapping_, r->child, r->child_field, values);
    next.push_back({r->child, r->child_field, true, ReachedBy::down, MatchMode::exact, storage, std::move(values)});
  }
  if (task.owned) {
    for (const auto& [field, values] : found_seen) owned_values_[{task.collection, field}].insert(values.begin(), values.end());
  }
  for (const Reference* r : ups) {
    // Parents already found as the person's own need no second, context-only read.
    std::vector<Value> candidates;
    const auto& owned = owned_values_[{r->parent, r->parent_field}];
    for (const auto& v : found[r->child_field]) {
      if (!owned.count(value_key(v))) candidates.push_back(v);
    }
    auto values = unseen(r->parent, r->parent_field, false, candidates);
    if (values.empty()) continue;
    const StoredAs storage = reference_storage(mapping_, r->parent, r->parent_field, values);
    next.push_back({r->parent, r->parent_field, false, ReachedBy::up, MatchMode::exact, storage, std::move(values)});
  }
  return Status::Ok();
}

Status Discovery::stream(CollectionSink& sink) {
  for (const auto& collection : mapping_.collections) {
    if (!reachable_.count(collection.name)) continue;
    const std::vector<std::string> fields = sink.fields_for(mapping_, collection);
    if (fields.empty()) continue;
    if (Status s = sink.begin(mapping_, collection, fields); !s) return s;
    std::uint64_t rows = 0;
    const auto deliver = [&](const Row& row) -> Status {
      ++rows;
      return sink.row(row);
    };
    auto found = selectors_.find(collection.name);
    if (found != selectors_.end()) {
      std::vector<MatchSpec> matches;
      for (const auto& [field, selector] : found->second) {
        matches.push_back({collection.name, field, selector.mode, selector.stored_as, selector.values});
      }
      if (matches.size() > 1 && collection.primary_key.size() == 1) {
        // Reached through several fields: collect the keys first, then read once by key,
        // so every row arrives once and in key order.
        auto found_keys = found_keys_.find(collection.name);
        auto keys = found_keys != found_keys_.end() && found_keys->second.complete
                        ? Result<std::vector<Value>>(found_keys->second.values)
                        : primary_keys(collection, matches);
        if (!keys) return keys.take_error();
        matches = {{collection.name, collection.primary_key.front(), MatchMode::exact,
                    all_integers(*keys) ? StoredAs::integer : StoredAs::text, std::move(*keys)}};
      }
      std::set<std::string> delivered;  // only for several matches on a composite key
      for (const auto& match : matches) {
        Status fetched;
        if (matches.size() == 1) {
          fetched = connector_.fetch({match, fields, collection.primary_key}, deliver);
        } else {
          std::vector<std::string> read = fields;
          std::vector<std::size_t> key_positions;
          for (const auto& key : collection.primary_key) {
            if (index_of(read, key) == read.size()) read.push_back(key);
            key_positions.push_back(index_of(read, key));
          }
          fetched = connector_.fetch({match, read, collection.primary_key}, [&](const Row& row) -> Status {
            std::string key;
            for (auto p : key_positions) key += value_key(row[p]) + "\x1f";
            if (!delivered.insert(key).second) return Status::Ok();
            return deliver(Row(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(fields.size())));
          });
        }
        if (!fetched) return fetched;
      }
    }
    if (Status s = sink.end(rows); !s) return s;
  }
  return Status::Ok();
}

Result<std::vector<Value>> Discovery::primary_keys(const CollectionMapping& collection,
                                                   const std::vector<MatchSpec>& matches) {
  std::vector<Value> keys;
  std::set<std::string> seen;
  const std::string& key = collection.primary_key.front();
  for (const auto& match : matches) {
    Status fetched = connector_.fetch({match, {key}, collection.primary_key}, [&](const Row& row) -> Status {
      if (!row.empty() && !is_null(row[0]) && seen.insert(value_key(row[0])).second) keys.push_back(row[0]);
      return Status::Ok();
    });
    if (!fetched) return fetched.take_error();
  }
  return keys;
}

}  // namespace dsr
