#pragma once
// Dataset mappings: data, not code. A mapping tells dsr, for one store, which
// collections (tables) hold personal data, which fields carry which identity kind,
// how collections reference each other, and what the Art. 15 answer says about them.
// Files are JSON, validated against schemas/dataset.schema.json and then by the
// semantic checks in mapping_loader.h.

#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/value.h"

namespace dsr {

enum class DataCategory { none, provided, observed, inferred };

// How a store keeps an identity value, so matching stays exact on the normalised value.
enum class MatchMode {
  exact,      // column = value
  lowercase,  // LOWER(column) = value (an email column written in mixed case)
};
enum class StoredAs {
  text,     // bind the normalised value as a string
  integer,  // bind it as a 64-bit integer (telegram_id in a BIGINT column)
};

struct FieldReference {
  std::string collection;
  std::string field;
  bool operator==(const FieldReference&) const = default;
};

// What erasure does to one field when its row is masked or retained.
struct MaskRule {
  enum class Kind { null_value, fixed, keyed_hash };
  Kind kind = Kind::null_value;
  std::string fixed_value;  // for Kind::fixed
  bool operator==(const MaskRule&) const = default;
};

struct FieldMapping {
  std::string name;
  std::optional<std::string> identity;  // identity kind carried by this field
  MatchMode match = MatchMode::exact;
  StoredAs stored_as = StoredAs::text;
  DataCategory category = DataCategory::none;  // none: not exported as personal data (keys, counters)
  std::optional<FieldReference> references;
  std::optional<MaskRule> mask;
  bool operator==(const FieldMapping&) const = default;
};

struct ErasureRule {
  enum class Action { delete_rows, mask, retain };
  Action action = Action::delete_rows;
  std::string basis;  // legal basis, required for retain (e.g. "Art. 17(3)(b): tax records")
  bool operator==(const ErasureRule&) const = default;
};

// What an objection (Art. 21) writes into the subject's rows of a collection instead
// of erasing them: fixed values, e.g. an opt-in flag set to 0.
struct ObjectionRule {
  std::vector<std::pair<std::string, Value>> set;  // field -> value
  bool operator==(const ObjectionRule&) const = default;
};

// A row added per objection so that the person is not contacted again, e.g. after a
// later import: one field holds an identity of the person (as given, or its SHA-256),
// the others fixed texts.
struct SuppressionField {
  std::string field;
  std::string identity_kind;  // set: the field holds this identity
  bool sha256 = false;        // the identity's SHA-256 (hex) instead of the value
  std::string fixed;          // otherwise: this text
  bool operator==(const SuppressionField&) const = default;
};

struct SuppressionRule {
  std::string collection;
  std::vector<SuppressionField> fields;
  const SuppressionField* identity_field() const;
  bool operator==(const SuppressionRule&) const = default;
};

struct CollectionMapping {
  std::string name;                      // the table name
  std::string description;               // for the export's index
  std::vector<std::string> primary_key;  // field names
  std::vector<FieldMapping> fields;
  bool skip_unreachable = false;  // not an error when no identity or reference reaches it
  ErasureRule erasure;
  ObjectionRule objection;

  // nullptr when there is no such field; names compare exactly.
  const FieldMapping* field(const std::string& field_name) const;
  bool operator==(const CollectionMapping&) const = default;
};

struct DatasetMapping {
  std::string file;       // where it was loaded from, for error messages
  std::string dataset;    // [A-Za-z_][A-Za-z0-9_]{0,63}
  std::string connector;  // name of a connector in the config
  std::string description;
  std::vector<std::string> purposes;
  std::vector<std::string> recipients;
  std::string retention;
  std::string source;
  std::vector<CollectionMapping> collections;
  std::optional<SuppressionRule> suppression;

  // nullptr when there is no such collection; names compare exactly.
  const CollectionMapping* collection(const std::string& collection_name) const;
  bool operator==(const DatasetMapping&) const = default;
};

// The spellings used in mapping files ("provided", "lowercase", "integer", "delete",
// "hash", ...); DataCategory::none is "none", which a file expresses by leaving
// "category" out.
std::string_view to_string(DataCategory category);
std::string_view to_string(MatchMode mode);
std::string_view to_string(StoredAs stored_as);
std::string_view to_string(MaskRule::Kind kind);
std::string_view to_string(ErasureRule::Action action);

}  // namespace dsr
