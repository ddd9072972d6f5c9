#include "dsr/run/group_discovery.h"

#include <Poco/UTF8String.h>

#include <algorithm>

#include "dsr/run/discovery.h"

namespace dsr {

namespace {

// How a store's value and a person's value are compared: as text, so that a telegram
// id stored as text and one stored as an integer are the same value, and lower-cased
// where the field is matched lower-cased (the connector compares LOWER(field)).
std::string canonical(const Value& value, MatchMode mode) {
  std::string text;
  if (const auto* s = std::get_if<std::string>(&value)) {
    text = *s;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    text = std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    text = std::to_string(*d);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    text.assign(1, *b ? '1' : '0');
  }
  // Every letter, not only ASCII: whichever the store's LOWER() changes, a value it
  // matched then has the same form here as the value it was matched with.
  return mode == MatchMode::lowercase ? Poco::UTF8::toLower(text) : text;
}

std::size_t position(std::vector<std::string>& fields, const std::string& name) {
  auto found = std::find(fields.begin(), fields.end(), name);
  if (found != fields.end()) return static_cast<std::size_t>(found - fields.begin());
  fields.push_back(name);
  return fields.size() - 1;
}

}  // namespace

void GroupDiscovery::add_owners(const FieldKey& field, const Value& value, const Owners& owners) {
  if (is_null(value)) return;
  FieldState& state = fields_[field];
  ValueState& entry = state.values[canonical(value, state.mode)];
  if (entry.owners.empty() && entry.queried_for.empty()) entry.value = value;
  entry.owners.insert(owners.begin(), owners.end());
}

Status GroupDiscovery::resolve(const std::vector<std::vector<Identity>>& people) {
  references_ = references_of(mapping_);
  people_ = people.size();
  for (const auto& collection : mapping_.collections) {
    for (const auto& field : collection.fields) {
      if (!field.identity) continue;
      const FieldKey key{collection.name, field.name};
      for (std::size_t person = 0; person < people.size(); ++person) {
        for (const auto& identity : people[person]) {
          if (identity.kind != *field.identity) continue;
          FieldState& state = fields_[key];
          state.mode = field.match;
          state.stored_as = field.stored_as;
          state.identity = true;
          add_owners(key, Value(identity.value), {person});
        }
      }
    }
  }
  // Rounds until no value has an owner it was not yet queried for.
  for (;;) {
    bool queried = false;
    for (auto& [key, state] : fields_) {
      const bool pending = std::any_of(state.values.begin(), state.values.end(),
                                       [](const auto& v) { return v.second.owners != v.second.queried_for; });
      if (!pending) continue;
      if (Status s = query(key, state); !s) return s;
      queried = true;
    }
    if (!queried) return Status::Ok();
  }
}

Status GroupDiscovery::query(const FieldKey& key, FieldState& state) {
  const auto& [collection_name, field_name] = key;
  const CollectionMapping* collection = mapping_.collection(collection_name);
  if (!collection) return fail("dataset " + mapping_.dataset + ": no collection " + collection_name);

  MatchSpec match{collection_name, field_name, state.mode, state.stored_as, {}};
  std::map<std::string, Owners> owners_of;  // canonical value -> owners, as of this query
  for (auto& [text, entry] : state.values) {
    if (entry.owners == entry.queried_for) continue;
    entry.queried_for = entry.owners;
    owners_of[text] = entry.owners;
    match.values.push_back(entry.value);
    searched_[collection_name].insert(entry.owners.begin(), entry.owners.end());
  }
  if (!state.identity) match.stored_as = reference_storage(mapping_, collection_name, field_name, match.values);

  std::vector<std::string> fields = collection->primary_key;
  const std::size_t matched_at = position(fields, field_name);
  std::vector<std::pair<const Reference*, std::size_t>> downs;
  for (const auto& r : references_) {
    if (r.parent == collection_name && follows_down(mapping_, r)) downs.emplace_back(&r, position(fields, r.parent_field));
  }
  auto& rows = rows_[collection_name];
  FetchStep step{match, fields, collection->primary_key};
  return connector_.fetch(step, [&](const Row& row) -> Status {
    if (row.size() != fields.size()) {
      return fail("dataset " + mapping_.dataset + ": collection " + collection_name + ": a row with the wrong number of fields");
    }
    auto owners = owners_of.find(canonical(row[matched_at], state.mode));
    // With one person, whatever the store matched is theirs, however it compares.
    if (owners == owners_of.end() && people_ == 1) owners = owners_of.begin();
    if (owners == owners_of.end()) {
      return fail("dataset " + mapping_.dataset + ": collection " + collection_name + ": field " + field_name +
                  " matched a value that none of the people searched for has (the store compares differently)");
    }
    std::string primary_key;
    for (std::size_t i = 0; i < collection->primary_key.size(); ++i) primary_key += value_key(row[i]) + "\x1f";
    if (collection->primary_key.empty()) {
      for (const auto& v : row) primary_key += value_key(v) + "\x1f";
    }
    rows[primary_key].insert(owners->second.begin(), owners->second.end());
    for (const auto& [reference, at] : downs) {
      add_owners({reference->child, reference->child_field}, row[at], owners->second);
    }
    return Status::Ok();
  });
}

std::vector<MatchSpec> GroupDiscovery::owned_matches() const {
  std::vector<MatchSpec> out;
  for (const auto& collection : mapping_.collections) {
    for (const auto& [key, state] : fields_) {
      if (key.first != collection.name) continue;
      MatchSpec match{key.first, key.second, state.mode, state.stored_as, {}};
      for (const auto& [text, entry] : state.values) {
        if (!entry.queried_for.empty()) match.values.push_back(entry.value);
      }
      if (match.values.empty()) continue;
      if (!state.identity) match.stored_as = reference_storage(mapping_, key.first, key.second, match.values);
      out.push_back(std::move(match));
    }
  }
  return out;
}

std::vector<std::pair<std::string, GroupDiscovery::Found>> GroupDiscovery::found_for(std::size_t person) const {
  std::vector<std::pair<std::string, Found>> out;
  for (const auto& collection : mapping_.collections) {
    auto searched = searched_.find(collection.name);
    if (searched == searched_.end() || !searched->second.count(person)) continue;
    Found found;
    found.searched = true;
    auto rows = rows_.find(collection.name);
    if (rows != rows_.end()) {
      for (const auto& [key, owners] : rows->second) found.rows += owners.count(person);
    }
    out.emplace_back(collection.name, found);
  }
  return out;
}

}  // namespace dsr
