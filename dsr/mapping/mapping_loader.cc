#include "dsr/mapping/mapping_loader.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <utility>

#include "dsr/common/json_schema.h"
#include "dsr/common/text.h"
#include "schemas/embedded_schemas.h"

namespace dsr {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr const char* kSchemaFile = "dataset.schema.json";

const Result<JsonSchema>& mapping_schema() {
  static const Result<JsonSchema> schema = []() -> Result<JsonSchema> {
    const auto text = embedded_schema(kSchemaFile);
    if (!text) return fail(std::string("internal error: ") + kSchemaFile + " is not embedded in this build");
    return JsonSchema::from_embedded_text(*text, kSchemaFile);
  }();
  return schema;
}

// Text from the file in single quotes. Names have passed the schema's pattern, but
// reference text has not: control characters and stray bytes become \xNN so that
// one problem stays one line.
std::string quoted(std::string_view text) {
  constexpr std::size_t kLimit = 80;
  const bool utf8 = is_valid_utf8(text);
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kLimit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80) || c == '\'' || c == '\\') {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > kLimit) out += "...";
  return out + "'";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string collection_pointer(std::size_t c) { return "/collections/" + std::to_string(c); }
std::string field_pointer(std::size_t c, std::size_t f) {
  return collection_pointer(c) + "/fields/" + std::to_string(f);
}

// ---------------------------------------------------------------------------
// Reading a document that has passed the schema, so shapes and enums are known good.

// "" for an absent key: every optional text member of the mapping defaults to empty.
std::string string_or_empty(const Object::Ptr& object, const std::string& key) {
  return object->has(key) ? object->getValue<std::string>(key) : std::string();
}

std::vector<std::string> strings(const Object::Ptr& object, const std::string& key) {
  std::vector<std::string> out;
  if (auto list = object->getArray(key)) {
    for (std::size_t i = 0; i < list->size(); ++i)
      out.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return out;
}

DataCategory category_of(const std::string& text) {
  if (text == "provided") return DataCategory::provided;
  if (text == "observed") return DataCategory::observed;
  if (text == "inferred") return DataCategory::inferred;
  return DataCategory::none;
}

MaskRule mask_of(const Var& value) {
  MaskRule rule;
  if (value.isString()) {
    rule.kind =
        value.extract<std::string>() == "hash" ? MaskRule::Kind::keyed_hash : MaskRule::Kind::null_value;
  } else {
    rule.kind = MaskRule::Kind::fixed;
    rule.fixed_value = value.extract<Object::Ptr>()->getValue<std::string>("fixed");
  }
  return rule;
}

// A JSON scalar as a store value: the schema allows text, numbers, booleans and null.
Value scalar_value(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return std::monostate{};
  if (value.isBoolean()) return value.extract<bool>();
  if (value.isString()) return value.extract<std::string>();
  if (value.isInteger()) return static_cast<std::int64_t>(value.convert<Poco::Int64>());
  return value.convert<double>();
}

ErasureRule erasure_of(const Object::Ptr& object) {
  ErasureRule rule;
  if (!object) return rule;
  const std::string action = object->getValue<std::string>("action");
  if (action == "mask") rule.action = ErasureRule::Action::mask;
  if (action == "retain") rule.action = ErasureRule::Action::retain;
  rule.basis = string_or_empty(object, "basis");
  return rule;
}

// The reference text as written, kept beside the mapping until it is resolved:
// FieldReference can only hold a well-formed one.
struct RawReferences {
  std::map<std::pair<std::size_t, std::size_t>, std::string> text;  // (collection, field) -> text
};

FieldMapping field_of(const Object::Ptr& object, std::size_t c, std::size_t f, RawReferences& raw) {
  FieldMapping field;
  field.name = object->getValue<std::string>("name");
  if (object->has("identity")) field.identity = object->getValue<std::string>("identity");
  if (string_or_empty(object, "match") == "lowercase") field.match = MatchMode::lowercase;
  if (string_or_empty(object, "stored_as") == "integer") field.stored_as = StoredAs::integer;
  field.category = category_of(string_or_empty(object, "category"));
  if (object->has("references")) raw.text[{c, f}] = object->getValue<std::string>("references");
  if (object->has("mask")) field.mask = mask_of(object->get("mask"));
  return field;
}

CollectionMapping collection_of(const Object::Ptr& object, std::size_t c, RawReferences& raw) {
  CollectionMapping collection;
  collection.name = object->getValue<std::string>("name");
  collection.description = string_or_empty(object, "description");
  collection.primary_key = strings(object, "primary_key");
  collection.skip_unreachable = object->has("skip_unreachable") && object->getValue<bool>("skip_unreachable");
  const Array::Ptr fields = object->getArray("fields");
  for (std::size_t f = 0; f < fields->size(); ++f) {
    collection.fields.push_back(field_of(fields->getObject(static_cast<unsigned>(f)), c, f, raw));
  }
  collection.erasure = erasure_of(object->getObject("erasure"));
  if (const Object::Ptr objection = object->getObject("objection")) {
    const Object::Ptr set = objection->getObject("set");
    for (const auto& name : set->getNames()) {
      collection.objection.set.emplace_back(name, scalar_value(set->get(name)));
    }
  }
  return collection;
}

DatasetMapping dataset_of(const Object::Ptr& root, const std::string& file, RawReferences& raw) {
  DatasetMapping mapping;
  mapping.file = file;
  mapping.dataset = root->getValue<std::string>("dataset");
  mapping.connector = root->getValue<std::string>("connector");
  mapping.description = string_or_empty(root, "description");
  mapping.purposes = strings(root, "purposes");
  mapping.recipients = strings(root, "recipients");
  mapping.retention = string_or_empty(root, "retention");
  mapping.source = string_or_empty(root, "source");
  const Array::Ptr collections = root->getArray("collections");
  for (std::size_t c = 0; c < collections->size(); ++c) {
    mapping.collections.push_back(collection_of(collections->getObject(static_cast<unsigned>(c)), c, raw));
  }
  if (const Object::Ptr suppression = root->getObject("suppression")) {
    SuppressionRule rule;
    rule.collection = suppression->getValue<std::string>("collection");
    const Object::Ptr fields = suppression->getObject("fields");
    for (const auto& name : fields->getNames()) {
      const Object::Ptr spec = fields->getObject(name);
      SuppressionField field;
      field.field = name;
      field.identity_kind = string_or_empty(spec, "identity");
      field.sha256 = string_or_empty(spec, "as") == "sha256";
      field.fixed = string_or_empty(spec, "fixed");
      rule.fields.push_back(std::move(field));
    }
    mapping.suppression = std::move(rule);
  }
  return mapping;
}

// ---------------------------------------------------------------------------
// Semantic checks.

struct Problem {
  std::string pointer;
  std::string message;
};

bool is_index(std::string_view token) {
  return !token.empty() &&
         std::all_of(token.begin(), token.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::vector<std::string_view> tokens(std::string_view pointer) {
  std::vector<std::string_view> out;
  while (!pointer.empty()) {
    pointer.remove_prefix(1);  // '/'
    const std::size_t slash = pointer.find('/');
    out.push_back(pointer.substr(0, slash));
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
  }
  return out;
}

// The order json_schema.h uses for violations, so both kinds of error read alike:
// keys in byte order, indexes numerically, parents before children.
bool pointer_less(const std::string& a, const std::string& b) {
  const auto ta = tokens(a), tb = tokens(b);
  for (std::size_t i = 0; i < ta.size() && i < tb.size(); ++i) {
    if (ta[i] == tb[i]) continue;
    if (is_index(ta[i]) && is_index(tb[i]) && ta[i].size() != tb[i].size())
      return ta[i].size() < tb[i].size();
    return ta[i] < tb[i];
  }
  return ta.size() < tb.size();
}

// "already defined" for an exact repeat; for names that differ only in case, say so,
// since the reader would otherwise look for two identical names.
// `where` follows the name: "" or " in collection 'users'".
std::string clash_message(const std::string& what, const std::string& name, const std::string& where,
                          const std::string& earlier_name, const std::string& earlier_place) {
  if (name == earlier_name)
    return "duplicate " + what + " '" + name + "'" + where + ", first defined at " + earlier_place;
  return what + " '" + name + "'" + where + " differs only in letter case from '" + earlier_name + "' at " +
         earlier_place;
}

class Checker {
 public:
  Checker(DatasetMapping& mapping, const RawReferences& raw, const MappingContext& context)
      : mapping_(mapping),
        raw_(raw),
        context_(context),
        unreachable_exempt_(mapping.collections.size(), false) {}

  std::vector<Problem> run() {
    check_connector();
    check_collection_names();
    for (std::size_t c = 0; c < mapping_.collections.size(); ++c) {
      check_fields(c);
      check_primary_key(c);
      check_references(c);
      check_erasure(c);
      check_objection(c);
    }
    check_suppression();
    check_reachability();
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const Problem& a, const Problem& b) { return pointer_less(a.pointer, b.pointer); });
    return std::move(problems_);
  }

 private:
  void add(std::string pointer, std::string message) {
    problems_.push_back({std::move(pointer), std::move(message)});
  }

  void check_connector() {
    if (contains(context_.connector_names, mapping_.connector)) return;
    add("/connector",
        "unknown connector '" + mapping_.connector + "' (" +
            (context_.connector_names.empty() ? std::string("no connectors are configured")
                                              : "configured: " + join(context_.connector_names)) +
            ")");
  }

  void check_collection_names() {
    std::map<std::string, std::size_t> seen;  // lower-cased name -> first index
    for (std::size_t c = 0; c < mapping_.collections.size(); ++c) {
      const std::string& name = mapping_.collections[c].name;
      const auto [it, inserted] = seen.emplace(to_lower_ascii(name), c);
      if (inserted) continue;
      add(collection_pointer(c) + "/name",
          clash_message("collection", name, "", mapping_.collections[it->second].name,
                        collection_pointer(it->second)));
      unreachable_exempt_[c] = true;  // its real problem is the name
    }
  }

  void check_fields(std::size_t c) {
    const CollectionMapping& collection = mapping_.collections[c];
    std::map<std::string, std::size_t> seen;
    for (std::size_t f = 0; f < collection.fields.size(); ++f) {
      const FieldMapping& field = collection.fields[f];
      const std::string here = field_pointer(c, f);
      const auto [it, inserted] = seen.emplace(to_lower_ascii(field.name), f);
      if (!inserted) {
        add(here + "/name", clash_message("field", field.name, " in collection '" + collection.name + "'",
                                          collection.fields[it->second].name, field_pointer(c, it->second)));
      }
      if (field.identity && !contains(context_.identity_kinds, *field.identity)) {
        add(here + "/identity",
            "unknown identity kind '" + *field.identity + "' (" +
                (context_.identity_kinds.empty() ? std::string("no identity kinds are configured")
                                                 : "known: " + join(context_.identity_kinds)) +
                ")");
      }
      // LOWER() of an integer column would match as text and defeat any index.
      if (field.match == MatchMode::lowercase && field.stored_as != StoredAs::text) {
        add(here + "/match",
            "'lowercase' applies to text, but field '" + field.name + "' is stored_as 'integer'");
      }
    }
  }

  void check_primary_key(std::size_t c) {
    const CollectionMapping& collection = mapping_.collections[c];
    for (std::size_t k = 0; k < collection.primary_key.size(); ++k) {
      if (collection.field(collection.primary_key[k])) continue;
      add(collection_pointer(c) + "/primary_key/" + std::to_string(k),
          "unknown field '" + collection.primary_key[k] + "' in collection '" + collection.name + "'");
    }
    // Erasure finds rows again by their key: a masked key would lose them, or make
    // many rows share one key.
    for (std::size_t f = 0; f < collection.fields.size(); ++f) {
      const FieldMapping& field = collection.fields[f];
      if (field.mask && contains(collection.primary_key, field.name)) {
        add(field_pointer(c, f) + "/mask", "field '" + field.name + "' is part of the primary key of '" +
                                               collection.name + "' and cannot be masked");
      }
    }
  }

  void check_references(std::size_t c) {
    CollectionMapping& collection = mapping_.collections[c];
    for (std::size_t f = 0; f < collection.fields.size(); ++f) {
      const auto raw = raw_.text.find({c, f});
      if (raw == raw_.text.end()) continue;
      const std::string& text = raw->second;
      const std::string here = field_pointer(c, f) + "/references";
      const std::size_t dot = text.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() ||
          text.find('.', dot + 1) != std::string::npos) {
        add(here, "malformed reference " + quoted(text) + ": expected 'collection.field'");
        unreachable_exempt_[c] = true;
        continue;
      }
      FieldReference reference{text.substr(0, dot), text.substr(dot + 1)};
      const CollectionMapping* target = mapping_.collection(reference.collection);
      if (!target) {
        add(here, "unknown collection " + quoted(reference.collection));
        unreachable_exempt_[c] = true;
        continue;
      }
      if (!target->field(reference.field)) {
        add(here, "unknown field " + quoted(reference.field) + " in collection '" + target->name + "'");
      }
      collection.fields[f].references = std::move(reference);
    }
  }

  void check_erasure(std::size_t c) {
    const CollectionMapping& collection = mapping_.collections[c];
    if (collection.erasure.action == ErasureRule::Action::delete_rows) return;
    const bool any_mask = std::any_of(collection.fields.begin(), collection.fields.end(),
                                      [](const FieldMapping& field) { return field.mask.has_value(); });
    if (any_mask) return;
    add(collection_pointer(c) + "/erasure", "action '" + std::string(to_string(collection.erasure.action)) +
                                                "' but no field of '" + collection.name + "' has a mask");
  }

  void check_objection(std::size_t c) {
    const CollectionMapping& collection = mapping_.collections[c];
    for (const auto& [name, value] : collection.objection.set) {
      const std::string here = collection_pointer(c) + "/objection/set/" + name;
      if (!collection.field(name)) {
        add(here, "field '" + name + "' is not one of the fields of '" + collection.name + "'");
      } else if (std::find(collection.primary_key.begin(), collection.primary_key.end(), name) !=
                 collection.primary_key.end()) {
        add(here, "field '" + name + "' is part of the primary key of '" + collection.name + "'");
      }
    }
  }

  void check_suppression() {
    if (!mapping_.suppression) return;
    const SuppressionRule& rule = *mapping_.suppression;
    const CollectionMapping* collection = mapping_.collection(rule.collection);
    if (!collection) {
      add("/suppression/collection", "no collection named '" + rule.collection + "'");
      return;
    }
    std::size_t identity_fields = 0;
    for (const auto& field : rule.fields) {
      const std::string here = "/suppression/fields/" + field.field;
      if (!collection->field(field.field)) {
        add(here, "field '" + field.field + "' is not one of the fields of '" + rule.collection + "'");
      }
      if (field.identity_kind.empty()) continue;
      ++identity_fields;
      if (!contains(context_.identity_kinds, field.identity_kind)) {
        add(here + "/identity", "unknown identity kind '" + field.identity_kind + "'");
      }
    }
    if (identity_fields != 1) add("/suppression/fields", "exactly one field must hold an identity");
  }

  // Breadth-first over references taken as undirected edges; the visited flags keep
  // cycles and self references from looping.
  void check_reachability() {
    const std::size_t n = mapping_.collections.size();
    std::map<std::string, std::size_t> index;  // exact name -> first collection of that name
    for (std::size_t c = 0; c < n; ++c) index.emplace(mapping_.collections[c].name, c);
    std::vector<std::vector<std::size_t>> edges(n);
    std::vector<bool> reached(n, false);
    std::deque<std::size_t> queue;
    for (std::size_t c = 0; c < n; ++c) {
      for (const FieldMapping& field : mapping_.collections[c].fields) {
        if (field.identity && !reached[c]) {
          reached[c] = true;
          queue.push_back(c);
        }
        if (!field.references) continue;
        const std::size_t target = index.at(field.references->collection);
        edges[c].push_back(target);
        edges[target].push_back(c);
      }
    }
    while (!queue.empty()) {
      const std::size_t c = queue.front();
      queue.pop_front();
      for (const std::size_t next : edges[c]) {
        if (reached[next]) continue;
        reached[next] = true;
        queue.push_back(next);
      }
    }
    for (std::size_t c = 0; c < n; ++c) {
      const CollectionMapping& collection = mapping_.collections[c];
      if (reached[c] || collection.skip_unreachable || unreachable_exempt_[c]) continue;
      add(collection_pointer(c), "collection '" + collection.name +
                                     "' is not reachable from any identity or reference; mark it "
                                     "\"skip_unreachable\": true to leave it out");
    }
  }

  DatasetMapping& mapping_;
  const RawReferences& raw_;
  const MappingContext& context_;
  // Collections whose broken name or reference is already reported; calling them
  // unreachable as well would only repeat the problem.
  std::vector<bool> unreachable_exempt_;
  std::vector<Problem> problems_;
};

Result<DatasetMapping> interpret(const Var& document, const std::string& file_name,
                                 const MappingContext& context) {
  const auto& schema = mapping_schema();
  if (!schema) return schema.take_error();
  const auto violations = schema->validate(document);
  if (!violations.empty()) return fail(format_violations(file_name, violations));

  RawReferences raw;
  DatasetMapping mapping = dataset_of(document.extract<Object::Ptr>(), file_name, raw);
  const std::vector<Problem> problems = Checker(mapping, raw, context).run();
  if (problems.empty()) return mapping;
  std::string message;
  for (const Problem& problem : problems) {
    if (!message.empty()) message += '\n';
    message += file_name + ": " + display_pointer(problem.pointer) + ": " + problem.message;
  }
  return fail(std::move(message));
}

}  // namespace

Result<DatasetMapping> parse_mapping(std::string_view json_text, const std::string& file_name,
                                     const MappingContext& context) {
  auto document = parse_json_text(json_text, file_name);
  if (!document) return document.take_error();
  return interpret(*document, file_name, context);
}

Result<DatasetMapping> load_mapping_file(const std::string& path, const MappingContext& context) {
  auto document = parse_json_file(path);
  if (!document) return document.take_error();
  return interpret(*document, path, context);
}

Result<std::vector<DatasetMapping>> load_mappings(const std::vector<std::string>& paths,
                                                  const MappingContext& context) {
  std::vector<DatasetMapping> mappings;
  std::map<std::string, std::size_t> seen;  // lower-cased dataset name -> index in mappings
  std::string errors;
  auto report = [&errors](const std::string& lines) { errors += (errors.empty() ? "" : "\n") + lines; };
  for (const std::string& path : paths) {
    auto mapping = load_mapping_file(path, context);
    if (!mapping) {
      report(mapping.error());
      continue;
    }
    const auto [it, inserted] = seen.emplace(to_lower_ascii(mapping->dataset), mappings.size());
    if (!inserted) {
      const DatasetMapping& earlier = mappings[it->second];
      report(path + ": /dataset: " +
             (mapping->dataset == earlier.dataset
                  ? "dataset '" + mapping->dataset + "' is already defined in " + earlier.file
                  : "dataset '" + mapping->dataset + "' differs only in letter case from '" +
                        earlier.dataset + "' in " + earlier.file));
      continue;
    }
    mappings.push_back(std::move(*mapping));
  }
  if (!errors.empty()) return fail(std::move(errors));
  return mappings;
}

}  // namespace dsr
