#pragma once
// The SQL that differs between the engines dsr reads: identifier quoting, how a
// match compares byte for byte, how a column is selected so that SOCI can read it,
// and how a primary-key column is ordered so that the server's ORDER BY agrees with
// compare_keys() (key_order.h), which merges chunks on the client.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/sql/column_kind.h"
#include "dsr/mapping/mapping.h"

namespace dsr::sql {

enum class SqlEngine { sqlite, mysql };

// ^[A-Za-z_][A-Za-z0-9_]{0,63}$: mappings are validated already, but a name that
// reaches SQL text is checked again right where it is spliced in.
bool is_valid_identifier(std::string_view name);

// Precondition: is_valid_identifier(name).
std::string quote_identifier(SqlEngine engine, std::string_view name);

// How a bound parameter appears in the statement.
enum class ParamForm {
  plain,   // :v0
  binary,  // CAST(:v0 AS BINARY): MySQL compares bytes, not by a case-insensitive, space-padding collation
  unhex,   // UNHEX(:v0): a binary key travels as the hex text that fetch() returns for it
  unsigned_integer,  // CAST(:v0 AS UNSIGNED): above int64 a key travels as decimal text
};
std::string param_expression(ParamForm form, std::string_view name);

// `<left> IN (<form>(:v0), ...)`, after `<prefilter> IN (:v0, ...) AND` when there is one.
struct MatchExpression {
  std::string left;
  ParamForm form = ParamForm::plain;
  // A column compared by its own collation, which an index on it serves; set only
  // where every row the exact match selects passes it (see lowercase_prefilter_unsafe).
  std::string prefilter;
};
// Precondition: column is a quoted identifier.
MatchExpression match_expression(SqlEngine engine, const std::string& column, MatchMode mode,
                                 StoredAs stored_as);

// MySQL cannot serve LOWER(column) IN (...) from an index: it scans the table. When
// the column's collation ignores case, `column IN (...)` finds every row whose
// lower-cased value is one of the values, and more, and its index serves it; the
// LOWER() match then keeps exactly the rows it kept before. That holds for a value
// unless it contains a character that the lower-casing of some other character
// gives while the collation tells the two apart: the Kelvin sign lower-cases to 'k'
// but is not 'k' in utf8mb4_general_ci, nor 'I' 'i' in the Turkish collations.
// Returns those characters (UTF-8) for a collation checked for this, or nullopt for
// a collation that is not (binary and case-sensitive ones, character sets other than UTF-8):
// no prefilter there. tests/connectors checks the table against the server's own
// LOWER() and collations for every code point.
std::optional<std::string> lowercase_prefilter_unsafe(std::string_view collation);

// Whether a prefilter may be used for these values under that collation.
bool lowercase_prefilter_allowed(std::string_view collation, const std::vector<std::string>& values);

// The expression that reads a column of this kind.
std::string select_expression(SqlEngine engine, const std::string& column, ColumnKind kind);

// A primary-key column: what is read to resume after it, what is ordered and
// compared, and how its last value is bound again.
struct KeyExpression {
  std::string select;
  std::string order;
  ParamForm form = ParamForm::plain;
};
KeyExpression key_expression(SqlEngine engine, const std::string& column, ColumnKind kind);

// How a key value read by fetch() is bound to find its row again with `<column> = <form>(:k)`,
// so that the primary key's index serves the lookup. The column's own collation is
// fine here: a primary key is unique under it, so only the row that was read can equal it.
ParamForm key_equality_form(SqlEngine engine, ColumnKind kind);

}  // namespace dsr::sql
