#include "dsr/mapping/mapping.h"

namespace dsr {

const FieldMapping* CollectionMapping::field(const std::string& field_name) const {
  for (const FieldMapping& candidate : fields) {
    if (candidate.name == field_name) return &candidate;
  }
  return nullptr;
}

const CollectionMapping* DatasetMapping::collection(const std::string& collection_name) const {
  for (const CollectionMapping& candidate : collections) {
    if (candidate.name == collection_name) return &candidate;
  }
  return nullptr;
}

std::string_view to_string(DataCategory category) {
  switch (category) {
    case DataCategory::none:
      return "none";
    case DataCategory::provided:
      return "provided";
    case DataCategory::observed:
      return "observed";
    case DataCategory::inferred:
      return "inferred";
  }
  return "none";
}

std::string_view to_string(MatchMode mode) {
  switch (mode) {
    case MatchMode::exact:
      return "exact";
    case MatchMode::lowercase:
      return "lowercase";
  }
  return "exact";
}

std::string_view to_string(StoredAs stored_as) {
  switch (stored_as) {
    case StoredAs::text:
      return "text";
    case StoredAs::integer:
      return "integer";
  }
  return "text";
}

std::string_view to_string(MaskRule::Kind kind) {
  switch (kind) {
    case MaskRule::Kind::null_value:
      return "null";
    case MaskRule::Kind::fixed:
      return "fixed";
    case MaskRule::Kind::keyed_hash:
      return "hash";
  }
  return "null";
}

std::string_view to_string(ErasureRule::Action action) {
  switch (action) {
    case ErasureRule::Action::delete_rows:
      return "delete";
    case ErasureRule::Action::mask:
      return "mask";
    case ErasureRule::Action::retain:
      return "retain";
  }
  return "delete";
}

const SuppressionField* SuppressionRule::identity_field() const {
  for (const auto& f : fields) {
    if (!f.identity_kind.empty()) return &f;
  }
  return nullptr;
}

}  // namespace dsr
