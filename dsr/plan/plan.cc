#include "dsr/plan/plan.h"

#include <algorithm>
#include <deque>
#include <set>
#include <tuple>

namespace dsr {

std::string_view to_string(ReachedBy reached_by) {
  switch (reached_by) {
    case ReachedBy::identity: return "identity";
    case ReachedBy::down: return "down";
    case ReachedBy::up: return "up";
  }
  return "?";
}

std::vector<Reference> references_of(const DatasetMapping& mapping) {
  std::vector<Reference> out;
  for (const auto& collection : mapping.collections) {
    for (const auto& field : collection.fields) {
      if (field.references) {
        out.push_back({collection.name, field.name, field.references->collection, field.references->field});
      }
    }
  }
  return out;
}

namespace {

bool has_identity_fields(const CollectionMapping& collection) {
  return std::any_of(collection.fields.begin(), collection.fields.end(),
                     [](const FieldMapping& f) { return f.identity.has_value(); });
}

StoredAs stored_as_of(const DatasetMapping& mapping, const std::string& collection, const std::string& field) {
  const CollectionMapping* c = mapping.collection(collection);
  const FieldMapping* f = c ? c->field(field) : nullptr;
  return f ? f->stored_as : StoredAs::text;
}

}  // namespace

bool follows_down(const DatasetMapping&, const Reference& reference) { return reference.child != reference.parent; }

bool follows_up(const DatasetMapping& mapping, const Reference& reference) {
  if (reference.child == reference.parent) return false;
  const CollectionMapping* parent = mapping.collection(reference.parent);
  return parent && !has_identity_fields(*parent);
}

std::vector<PlanStep> make_plan(const DatasetMapping& mapping, const std::vector<std::string>& identity_kinds) {
  std::vector<PlanStep> plan;
  // A collection is expanded once as owned and once as context; owned implies context's
  // upward steps too.
  std::set<std::pair<std::string, bool>> expanded;
  std::set<std::tuple<std::string, std::string, ReachedBy>> taken;
  std::deque<std::pair<std::string, bool>> frontier;  // (collection, owned)

  for (const auto& collection : mapping.collections) {
    for (const auto& field : collection.fields) {
      if (!field.identity) continue;
      if (std::find(identity_kinds.begin(), identity_kinds.end(), *field.identity) == identity_kinds.end()) continue;
      PlanStep step;
      step.dataset = mapping.dataset;
      step.collection = collection.name;
      step.match_field = field.name;
      step.mode = field.match;
      step.stored_as = field.stored_as;
      step.reached_by = ReachedBy::identity;
      step.identity_kind = *field.identity;
      plan.push_back(step);
      taken.insert({collection.name, field.name, ReachedBy::identity});
      frontier.push_back({collection.name, true});
    }
  }

  const std::vector<Reference> references = references_of(mapping);
  while (!frontier.empty()) {
    const auto [name, owned] = frontier.front();
    frontier.pop_front();
    if (!expanded.insert({name, owned}).second) continue;
    if (owned) {
      for (const auto& r : references) {
        if (r.parent != name || !follows_down(mapping, r)) continue;
        if (!taken.insert({r.child, r.child_field, ReachedBy::down}).second) continue;
        plan.push_back({mapping.dataset, r.child, r.child_field, MatchMode::exact,
                        stored_as_of(mapping, r.child, r.child_field), ReachedBy::down, "", r.parent, r.parent_field});
        frontier.push_back({r.child, true});
      }
    }
    for (const auto& r : references) {
      if (r.child != name || !follows_up(mapping, r)) continue;
      // Rows reached down along r point back at rows already owned: nothing new up there.
      if (taken.count({r.child, r.child_field, ReachedBy::down})) continue;
      if (!taken.insert({r.parent, r.parent_field, ReachedBy::up}).second) continue;
      plan.push_back({mapping.dataset, r.parent, r.parent_field, MatchMode::exact,
                      stored_as_of(mapping, r.parent, r.parent_field), ReachedBy::up, "", r.child, r.child_field});
      frontier.push_back({r.parent, false});
    }
  }
  return plan;
}

std::vector<std::string> reached_collections(const DatasetMapping& mapping, const std::vector<PlanStep>& plan) {
  std::vector<std::string> out;
  for (const auto& collection : mapping.collections) {
    const bool reached = std::any_of(plan.begin(), plan.end(),
                                     [&](const PlanStep& s) { return s.collection == collection.name; });
    if (reached) out.push_back(collection.name);
  }
  return out;
}

}  // namespace dsr
