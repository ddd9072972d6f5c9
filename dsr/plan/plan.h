#pragma once
// How dsr finds a person's rows in one dataset: the traversal, computed from the
// mapping alone (no store is touched).
//
// Rows are reached three ways:
//   identity  a field that carries one of the request's identity kinds matches exactly;
//   down      a field references a key of rows already found ("owned" rows): rows that
//             point at the person's rows are the person's (messages -> subscriber);
//   up        the rows that owned rows point at (message -> chat) are included as
//             context, but never expanded downward again, so a shared group chat does
//             not pull in other people's messages.
// Self references are never followed (a reply to my message is its author's; my
// manager's record is my manager's), and upward steps never enter a collection that
// carries identity fields: such rows are the person's only when their identities match.

#include <string>
#include <vector>

#include "dsr/mapping/mapping.h"

namespace dsr {

enum class ReachedBy { identity, down, up };

struct PlanStep {
  std::string dataset;
  std::string collection;
  std::string match_field;  // the field of `collection` compared with the values
  MatchMode mode = MatchMode::exact;
  StoredAs stored_as = StoredAs::text;
  ReachedBy reached_by = ReachedBy::identity;
  std::string identity_kind;    // for ReachedBy::identity
  std::string from_collection;  // for down/up: where the values come from
  std::string from_field;
};

// A directed reference: child.field -> parent.field.
struct Reference {
  std::string child;
  std::string child_field;
  std::string parent;
  std::string parent_field;
};

std::vector<Reference> references_of(const DatasetMapping& mapping);

// Whether the traversal may follow this reference downward / upward (see above).
bool follows_down(const DatasetMapping& mapping, const Reference& reference);
bool follows_up(const DatasetMapping& mapping, const Reference& reference);

// Every step the traversal may take for the given identity kinds, in breadth-first
// order from the identity matches. Each (collection, field, direction) appears once.
std::vector<PlanStep> make_plan(const DatasetMapping& mapping, const std::vector<std::string>& identity_kinds);

// The collections a plan reaches, in mapping order.
std::vector<std::string> reached_collections(const DatasetMapping& mapping, const std::vector<PlanStep>& plan);

std::string_view to_string(ReachedBy reached_by);

}  // namespace dsr
