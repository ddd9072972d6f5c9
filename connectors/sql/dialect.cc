#include "connectors/sql/dialect.h"

namespace dsr::sql {

bool is_valid_identifier(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string quote_identifier(SqlEngine engine, std::string_view name) {
  const char quote = engine == SqlEngine::mysql ? '`' : '"';
  std::string quoted;
  quoted.reserve(name.size() + 2);
  quoted += quote;
  quoted += name;
  quoted += quote;
  return quoted;
}

std::string param_expression(ParamForm form, std::string_view name) {
  const std::string placeholder = ":" + std::string(name);
  switch (form) {
    case ParamForm::plain:
      return placeholder;
    case ParamForm::binary:
      return "CAST(" + placeholder + " AS BINARY)";
    case ParamForm::unhex:
      return "UNHEX(" + placeholder + ")";
    case ParamForm::unsigned_integer:
      return "CAST(" + placeholder + " AS UNSIGNED)";
  }
  return placeholder;
}

MatchExpression match_expression(SqlEngine engine, const std::string& column, MatchMode mode,
                                 StoredAs stored_as) {
  if (stored_as == StoredAs::integer) return {column, ParamForm::plain, ""};
  if (engine == SqlEngine::sqlite) {
    // An explicit BINARY collation overrides a NOCASE column; on a default column
    // the index is still used.
    if (mode == MatchMode::lowercase) return {"LOWER(" + column + ")", ParamForm::plain, ""};
    return {column + " COLLATE BINARY", ParamForm::plain, ""};
  }
  // MySQL's default collations ignore case and trailing spaces, so "A@b.com " would
  // match "a@b.com". A binary right-hand side makes the comparison byte-exact while
  // an index on the column stays usable.
  if (mode == MatchMode::lowercase) return {"LOWER(" + column + ")", ParamForm::binary, ""};
  return {column, ParamForm::binary, ""};
}

std::optional<std::string> lowercase_prefilter_unsafe(std::string_view collation) {
  const auto ends_with = [&](std::string_view suffix) { return collation.ends_with(suffix); };
  // UTF-8 columns only: comparing another character set with the UTF-8 values
  // converts one side, lossily for some values.
  const bool utf8 = collation.starts_with("utf8mb4_") || collation.starts_with("utf8mb3_") ||
                    collation.starts_with("utf8_");
  if (!utf8 || !ends_with("_ci")) return std::nullopt;
  // Found by comparing c with LOWER(c) under each collation for every code point
  // (MariaDB 10.11): ohm, kelvin and angstrom signs lower-case to these letters.
  if (ends_with("_general_ci") || ends_with("_general_nopad_ci") || ends_with("_general_mysql500_ci")) {
    return std::string("\xCF\x89k\xC3\xA5");  // ω k å
  }
  if (ends_with("_danish_ci") || ends_with("_icelandic_ci") || ends_with("_swedish_ci")) {
    return std::string("\xC3\xA5");  // å
  }
  if (ends_with("_turkish_ci")) return std::string("i");  // 'I' is 'ı' there
  return std::string();
}

bool lowercase_prefilter_allowed(std::string_view collation, const std::vector<std::string>& values) {
  const std::optional<std::string> unsafe = lowercase_prefilter_unsafe(collation);
  if (!unsafe) return false;
  for (std::size_t i = 0; i < unsafe->size();) {
    // One character at a time: 1 to 4 bytes of UTF-8.
    const auto lead = static_cast<unsigned char>((*unsafe)[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    const std::string_view character = std::string_view(*unsafe).substr(i, length);
    for (const std::string& value : values) {
      if (value.find(character) != std::string::npos) return false;
    }
    i += length;
  }
  return true;
}

std::string select_expression(SqlEngine engine, const std::string& column, ColumnKind kind) {
  if (engine == SqlEngine::sqlite) return column;
  // SOCI 4.0 cannot read these MySQL types (TIME below zero, YEAR and BIT throw).
  switch (kind) {
    case ColumnKind::time:
    case ColumnKind::other:
      return "CAST(" + column + " AS CHAR)";
    case ColumnKind::year:
      return "CAST(" + column + " AS SIGNED)";
    case ColumnKind::bit:
      return "CAST(" + column + " AS UNSIGNED)";
    case ColumnKind::geometry:
      return "ST_AsText(" + column + ")";
    default:
      return column;
  }
}

KeyExpression key_expression(SqlEngine engine, const std::string& column, ColumnKind kind) {
  if (engine == SqlEngine::sqlite) {
    // Numbers ignore the collation; text then orders by bytes, as compare_keys() does.
    return {column, column + " COLLATE BINARY", ParamForm::plain};
  }
  switch (kind) {
    case ColumnKind::text:
      // By the UTF-8 bytes whatever the column's charset and collation, so that the
      // server's order is the client's.
      return {column, "CAST(CONVERT(" + column + " USING utf8mb4) AS BINARY)", ParamForm::binary};
    case ColumnKind::binary:
      return {column, column, ParamForm::unhex};
    case ColumnKind::datetime:
      // As text, to keep fractional seconds that SOCI's std::tm drops: resuming
      // after a rounded key would repeat rows.
      return {"CAST(" + column + " AS CHAR)", column, ParamForm::plain};
    default:
      return {select_expression(engine, column, kind), column, ParamForm::plain};
  }
}

ParamForm key_equality_form(SqlEngine engine, ColumnKind kind) {
  if (engine == SqlEngine::sqlite) return ParamForm::plain;
  switch (kind) {
    case ColumnKind::binary:
      return ParamForm::unhex;
    case ColumnKind::unsigned_integer:
      // A decimal text compared with an integer column is compared as a double,
      // which cannot tell keys above 2^53 apart.
      return ParamForm::unsigned_integer;
    default:
      return ParamForm::plain;
  }
}

}  // namespace dsr::sql
