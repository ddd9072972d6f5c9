#include "dsr/run/erasure.h"

#include <algorithm>
#include <map>
#include <set>

#include "dsr/common/crypto.h"
#include "dsr/run/group_discovery.h"

namespace dsr {

namespace {

constexpr const char* kHashPrefix = "hmac-sha256:";

std::string value_text(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return std::to_string(*d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return "";
}

std::string action_name(ErasureRule::Action action) {
  switch (action) {
    case ErasureRule::Action::delete_rows: return "delete";
    case ErasureRule::Action::mask: return "mask";
    case ErasureRule::Action::retain: return "retain";
  }
  return "delete";
}

CollectionErasure& entry_for(std::vector<CollectionErasure>& report, const DatasetMapping& mapping,
                             const CollectionMapping& collection) {
  for (auto& e : report) {
    if (e.dataset == mapping.dataset && e.collection == collection.name) return e;
  }
  CollectionErasure e;
  e.dataset = mapping.dataset;
  e.connector = mapping.connector;
  e.collection = collection.name;
  e.action = action_name(collection.erasure.action);
  e.basis = collection.erasure.basis;
  for (const auto& f : collection.fields) {
    if (f.mask) e.masked_fields.push_back(f.name);
  }
  report.push_back(std::move(e));
  return report.back();
}

}  // namespace

std::string erase_step(const std::string& dataset, const std::string& collection) {
  return "erase:" + dataset + "." + collection;
}

std::string found_step(const std::string& erase_step) {
  return "found:" + erase_step.substr(erase_step.find(':') + 1);
}

Value masked_value(const MaskRule& rule, const SubjectKey& key, const Value& current) {
  switch (rule.kind) {
    case MaskRule::Kind::null_value: return std::monostate{};
    case MaskRule::Kind::fixed: return rule.fixed_value;
    case MaskRule::Kind::keyed_hash: {
      if (is_null(current)) return current;
      const std::string text = value_text(current);
      if (text.rfind(kHashPrefix, 0) == 0) return current;  // already masked: a rerun must not hash the hash
      return std::string(kHashPrefix) + key.seal("mask:" + text);
    }
  }
  return std::monostate{};
}

bool looks_masked(const MaskRule& rule, const Value& value) {
  switch (rule.kind) {
    case MaskRule::Kind::null_value: return is_null(value);
    case MaskRule::Kind::fixed: return value_text(value) == rule.fixed_value;
    case MaskRule::Kind::keyed_hash: return is_null(value) || value_text(value).rfind(kHashPrefix, 0) == 0;
  }
  return false;
}

std::vector<MatchSpec> verification_checks(std::vector<MatchSpec> at_start, std::vector<MatchSpec> fresh) {
  std::vector<MatchSpec> checks = std::move(at_start);
  for (auto& match : fresh) {
    auto same = std::find_if(checks.begin(), checks.end(), [&](const MatchSpec& m) {
      return m.collection == match.collection && m.match_field == match.match_field && m.mode == match.mode &&
             m.stored_as == match.stored_as;
    });
    if (same == checks.end()) {
      checks.push_back(std::move(match));
      continue;
    }
    std::set<std::string> known;
    for (const auto& v : same->values) known.insert(value_key(v));
    for (auto& v : match.values) {
      if (known.insert(value_key(v)).second) same->values.push_back(std::move(v));
    }
  }
  return checks;
}

std::vector<std::string> children_first(const DatasetMapping& mapping) {
  // Kahn's algorithm over "child references parent": a parent waits for its children.
  std::map<std::string, std::set<std::string>> waits_for;  // parent -> children not yet placed
  for (const auto& r : references_of(mapping)) {
    if (r.child != r.parent) waits_for[r.parent].insert(r.child);
  }
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < mapping.collections.size()) {
    bool progressed = false;
    for (const auto& c : mapping.collections) {
      if (placed.count(c.name)) continue;
      const auto& children = waits_for[c.name];
      const bool ready = std::all_of(children.begin(), children.end(), [&](const std::string& child) {
        return placed.count(child) != 0;
      });
      if (!ready) continue;
      order.push_back(c.name);
      placed.insert(c.name);
      progressed = true;
    }
    if (!progressed) {
      // A cycle: place the rest in mapping order.
      for (const auto& c : mapping.collections) {
        if (placed.insert(c.name).second) order.push_back(c.name);
      }
    }
  }
  return order;
}

Status DatasetEraser::erase(const std::vector<Identity>& identities, std::vector<CollectionErasure>& report) {
  GroupDiscovery discovery(mapping_, connector_);
  if (Status s = discovery.resolve({identities}); !s) return s;
  if (journal_) {
    std::vector<std::pair<std::string, std::uint64_t>> found;
    for (const auto& [collection, f] : discovery.found_for(0)) found.emplace_back(erase_step(mapping_.dataset, collection), f.rows);
    if (Status s = journal_->found(found); !s) return s;
  }
  return erase_matches(discovery.owned_matches(), report);
}

Status DatasetEraser::erase_matches(std::vector<MatchSpec> owned, std::vector<CollectionErasure>& report) {
  matches_at_start_ = std::move(owned);
  for (const auto& name : children_first(mapping_)) {
    const CollectionMapping* collection = mapping_.collection(name);
    const bool matched = std::any_of(matches_at_start_.begin(), matches_at_start_.end(),
                                     [&](const MatchSpec& m) { return m.collection == name; });
    const std::string step_name = erase_step(mapping_.dataset, name);
    ErasureJournal::Recorded recorded;
    if (journal_) {
      auto read = journal_->recorded(step_name);
      if (!read) return read.take_error();
      recorded = *read;
    }
    // A collection an earlier attempt emptied may be out of reach now (the rows that led
    // to it are gone too); its entry still says what was erased there.
    if (!matched && !recorded.searched_earlier && recorded.rows == 0) continue;
    CollectionErasure& entry = entry_for(report, mapping_, *collection);
    std::uint64_t* counter = &entry.rows_deleted;
    if (collection->erasure.action == ErasureRule::Action::mask) counter = &entry.rows_masked;
    if (collection->erasure.action == ErasureRule::Action::retain) counter = &entry.rows_retained;
    const std::uint64_t found_earlier = recorded.found_earlier;
    *counter += recorded.rows;
    entry.largest_transaction = std::max(entry.largest_transaction, recorded.largest_transaction);
    if (recorded.done || !matched) {
      // An earlier attempt finished it; verification still checks it.
      *counter = std::max(*counter, found_earlier);
      continue;
    }
    bool count_only = collection->erasure.action != ErasureRule::Action::delete_rows;
    std::uint64_t counted = 0;
    for (const auto& match : matches_at_start_) {
      if (match.collection != name) continue;
      EraseStep step;
      step.match = match;
      step.primary_key = collection->primary_key;
      step.chunk_rows = chunk_rows_;
      step.delete_rows = collection->erasure.action == ErasureRule::Action::delete_rows;
      if (!step.delete_rows) {
        for (const auto& field : collection->fields) {
          if (!field.mask) continue;
          const MaskRule rule = *field.mask;
          FieldAssignment& assignment = step.assignments.emplace_back();
          assignment.field = field.name;
          assignment.assign = [rule, this](const Value& current) { return masked_value(rule, key_, current); };
          if (rule.kind != MaskRule::Kind::keyed_hash) assignment.constant = masked_value(rule, key_, Value());
        }
        count_only = count_only && step.assignments.empty();
      }
      if (journal_ && !count_only) {
        step.after_chunk = [this, &step_name](std::uint64_t rows) { return journal_->chunk_committed(step_name, rows); };
      }
      auto done = connector_.erase(step);
      if (!done) return done.take_error();
      entry.largest_transaction = std::max(entry.largest_transaction, done->largest_transaction);
      if (count_only) {
        counted += done->rows;
      } else {
        *counter += done->rows;
      }
    }
    if (count_only) *counter = counted;  // counted afresh by every attempt, not summed
    // What the first attempt found before it began is gone now too (verification checks
    // it), whichever attempt's statement removed it.
    *counter = std::max(*counter, found_earlier);
    if (journal_) {
      if (Status s = journal_->collection_done(step_name, count_only ? std::optional(counted) : std::nullopt); !s) {
        return s;
      }
    }
  }
  return Status::Ok();
}

Status DatasetEraser::verify(const std::vector<Identity>& identities, std::vector<CollectionErasure>& report) {
  Discovery fresh(mapping_, connector_);
  fresh.skip_context();
  if (Status s = fresh.resolve(identities); !s) return s;
  const std::vector<MatchSpec> checks = verification_checks(matches_at_start_, fresh.owned_matches());

  for (auto& entry : report) entry.residue = 0;
  std::set<std::string> counted;  // a row left over is one residue, however many matches find it
  for (const auto& match : checks) {
    const CollectionMapping* collection = mapping_.collection(match.collection);
    CollectionErasure& entry = entry_for(report, mapping_, *collection);
    std::vector<std::string> fields = collection->primary_key;
    std::vector<const FieldMapping*> masked;
    for (const auto& f : collection->fields) {
      if (f.mask) {
        fields.push_back(f.name);
        masked.push_back(&f);
      }
    }
    const bool deleting = collection->erasure.action == ErasureRule::Action::delete_rows;
    Status read = connector_.fetch({match, fields, collection->primary_key}, [&](const Row& row) -> Status {
      bool clean = !deleting;
      for (std::size_t i = 0; clean && i < masked.size(); ++i) {
        clean = looks_masked(*masked[i]->mask, row[collection->primary_key.size() + i]);
      }
      if (clean) return Status::Ok();
      std::string key = collection->name;
      for (std::size_t i = 0; i < collection->primary_key.size(); ++i) key += "\x1f" + value_key(row[i]);
      if (counted.insert(key).second) ++entry.residue;
      return Status::Ok();
    });
    if (!read) return read;
  }
  for (auto& entry : report) entry.verified = entry.residue == 0;
  return Status::Ok();
}

}  // namespace dsr
