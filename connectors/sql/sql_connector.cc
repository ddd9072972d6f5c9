#include "connectors/sql/sql_connector.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string_view>

#include "connectors/sql/key_order.h"

#include "dsr/common/text.h"

namespace dsr::sql {

namespace {

// A name as it appears in messages: quoted plainly when it is an identifier, and
// escaped when it is not (it never reached SQL then).
std::string shown(const std::string& name) {
  return is_valid_identifier(name) ? "'" + name + "'" : quote_for_message(name);
}

// MySQL quotes the offending value in some messages ("Duplicate entry 'x' for key
// 'email'", "Incorrect integer value: 'x' for column ..."). A value may itself hold
// quotes: it runs to the last "' for " (or the last quote) after its opening quote.
std::string without_values(std::string text) {
  for (const std::string_view lead : {"Duplicate entry '", "value: '"}) {
    const std::size_t found = text.find(lead);
    if (found == std::string::npos) continue;
    const std::size_t start = found + lead.size();
    std::size_t stop = text.rfind("' for ");
    if (stop == std::string::npos || stop < start) stop = text.rfind('\'');
    if (stop == std::string::npos || stop < start) stop = text.size();
    text.replace(start, stop - start, "<value>");
  }
  return text;
}

// The driver's message without the context SOCI appends, which quotes the statement
// and the values bound to it: values are personal data and must not reach logs.
std::string message_of(const std::exception& error) {
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    std::string text = soci_error->get_error_message();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '.'))
      text.pop_back();
    return without_values(text);
  }
  return error.what();
}

std::vector<std::string> step_columns(const FetchStep& step) {
  std::vector<std::string> columns = step.fields;
  columns.insert(columns.end(), step.primary_key.begin(), step.primary_key.end());
  columns.push_back(step.match.match_field);
  return columns;
}

}  // namespace

SqlConnector::SqlConnector(std::string name, SqlEngine engine, SqlLimits limits)
    : Connector(std::move(name)), engine_(engine), limits_(limits) {}

ConnectorFeatures SqlConnector::features() const {
  ConnectorFeatures features;
  features.index_info = true;
  features.erase = true;
  return features;
}

bool SqlConnector::connection_lost(const std::exception&) const { return false; }

std::string SqlConnector::prefix() const { return "connector '" + name() + "'"; }

Status SqlConnector::connect() {
  if (connected_) return Status::Ok();
  try {
    open(session_);
    connected_ = true;
    connect_failed_ = false;
    return Status::Ok();
  } catch (const std::exception& e) {
    disconnect();
    connect_failed_ = true;
    return fail(prefix() + ": cannot connect: " + message_of(e));
  }
}

void SqlConnector::disconnect() {
  connected_ = false;
  try {
    session_.close();
  } catch (const std::exception&) {
    // Closing a connection that is already gone may fail; it is closed either way.
  }
}

template <typename T>
Result<T> SqlConnector::guarded(const std::string& collection, const std::function<Result<T>()>& work) {
  if (Status s = connect(); !s) return s.take_error();
  try {
    return work();
  } catch (const std::exception& e) {
    if (connection_lost(e)) disconnect();
    // The catalog is kept for the connector's life; a failure may mean the table was
    // altered or dropped since it was read, so the next use reads it afresh.
    tables_.erase(collection);
    return fail(prefix() + ": collection " + shown(collection) + ": " + message_of(e));
  }
}

const TableInfo& SqlConnector::table(const std::string& collection) {
  if (!is_valid_identifier(collection)) throw std::runtime_error("not a valid table name");
  if (auto found = tables_.find(collection); found != tables_.end()) return found->second;
  std::optional<TableInfo> info = read_table(session_, collection);
  // Absence is not cached: the table may yet be created.
  if (!info) throw std::runtime_error("no such table");
  return tables_.emplace(collection, std::move(*info)).first->second;
}

const TableInfo& SqlConnector::table_with(const std::string& collection,
                                          const std::vector<std::string>& fields) {
  const TableInfo& info = table(collection);
  for (const std::string& field : fields) {
    if (!is_valid_identifier(field))
      throw std::runtime_error("field " + shown(field) + ": not a valid column name");
    if (!info.column(field)) throw std::runtime_error("field " + shown(field) + ": no such column");
  }
  return info;
}

Status SqlConnector::check(const DatasetMapping& mapping) {
  if (Status s = connect(); !s) return s;
  std::string problems;
  const auto report = [&problems](const std::string& problem) {
    problems += (problems.empty() ? "" : "\n") + problem;
  };
  for (const CollectionMapping& collection : mapping.collections) {
    Result<bool> checked = guarded<bool>(collection.name, [&]() -> Result<bool> {
      const TableInfo& info = table(collection.name);
      std::vector<std::string> names = collection.primary_key;
      for (const FieldMapping& field : collection.fields) names.push_back(field.name);
      for (const std::string& name : names) {
        if (!is_valid_identifier(name)) {
          report(prefix() + ": collection " + shown(collection.name) + ": field " + shown(name) +
                 ": not a valid column name");
        } else if (!info.column(name)) {
          report(prefix() + ": collection " + shown(collection.name) + ": field " + shown(name) +
                 ": no such column");
        }
      }
      return true;
    });
    if (!checked) report(checked.error());
  }
  if (!problems.empty()) return fail(problems);
  return Status::Ok();
}

std::size_t SqlConnector::page_rows_for(std::size_t chunks) const {
  // Each chunk's cursor holds one page; together they stay near page_rows.
  return std::max(limits_.min_page_rows, limits_.page_rows / std::max<std::size_t>(chunks, 1));
}

FetchPlan SqlConnector::plan(const FetchStep& step, const TableInfo* table) const {
  const auto kind_of = [&](const std::string& column) {
    if (engine_ == SqlEngine::sqlite) return ColumnKind::dynamic;
    const ColumnInfo* info = table ? table->column(column) : nullptr;
    return info ? info->kind : ColumnKind::unknown;
  };
  FetchPlan plan;
  SelectStatement& statement = plan.statement;
  statement.table = quote_identifier(engine_, step.match.collection);
  for (const std::string& field : step.fields) {
    const ColumnKind kind = kind_of(field);
    statement.columns.push_back(select_expression(engine_, quote_identifier(engine_, field), kind));
    plan.kinds.push_back(kind);
  }
  plan.layout.field_count = step.fields.size();
  for (const std::string& key : step.primary_key) {
    const ColumnKind kind = kind_of(key);
    KeyExpression expression = key_expression(engine_, quote_identifier(engine_, key), kind);
    std::size_t index = 0;
    while (index < statement.columns.size() &&
           !(statement.columns[index] == expression.select && plan.kinds[index] == kind)) {
      ++index;
    }
    if (index == statement.columns.size()) {
      statement.columns.push_back(expression.select);
      plan.kinds.push_back(kind);
    }
    plan.layout.key_columns.push_back(index);
    statement.key_order.push_back(expression.order);
    statement.key_forms.push_back(expression.form);
  }
  statement.match = match_for(step.match, table);
  return plan;
}

MatchExpression SqlConnector::match_for(const MatchSpec& match, const TableInfo* table) const {
  const std::string column = quote_identifier(engine_, match.match_field);
  MatchExpression expression = match_expression(engine_, column, match.mode, match.stored_as);
  if (engine_ != SqlEngine::mysql || match.mode != MatchMode::lowercase || match.stored_as != StoredAs::text ||
      !table) {
    return expression;
  }
  const ColumnInfo* info = table->column(match.match_field);
  if (!info || info->kind != ColumnKind::text) return expression;
  std::vector<std::string> texts;
  for (const Value& value : match.values) {
    if (const auto* text = std::get_if<std::string>(&value)) texts.push_back(*text);
  }
  if (lowercase_prefilter_allowed(info->collation, texts)) expression.prefilter = column;
  return expression;
}

Status SqlConnector::fetch(const FetchStep& step, const RowVisitor& visit) {
  Result<Status> fetched = guarded<Status>(step.match.collection, [&]() -> Result<Status> {
    const TableInfo& info = table_with(step.match.collection, step_columns(step));
    // Rows arrive in key order and MySQL pages by key: without one neither works.
    if (step.primary_key.empty()) throw std::runtime_error("no primary key given");
    std::vector<std::vector<BindValue>> chunks = chunked(bind_values(step.match), limits_.chunk_values);
    if (chunks.empty()) return Status::Ok();
    const FetchPlan fetch_plan = plan(step, &info);
    const std::size_t page_rows = page_rows_for(chunks.size());
    std::vector<std::unique_ptr<RowCursor>> cursors;
    for (std::vector<BindValue>& chunk : chunks) {
      cursors.push_back(open_cursor(session_, fetch_plan, std::move(chunk), page_rows));
    }
    return merge_rows(cursors, visit);
  });
  if (!fetched) return fetched.take_error();
  return *fetched;
}

std::uint64_t SqlConnector::count_matches(const MatchSpec& match) {
  const TableInfo& info = table_with(match.collection, {match.match_field});
  const MatchExpression expression = match_for(match, &info);
  const std::string table_name = quote_identifier(engine_, match.collection);
  std::uint64_t total = 0;
  for (const std::vector<BindValue>& chunk : chunked(bind_values(match), limits_.chunk_values)) {
    total += count_rows(session_, count_sql(table_name, expression, chunk.size()), chunk);
  }
  return total;
}

Result<std::uint64_t> SqlConnector::count(const MatchSpec& match) {
  return guarded<std::uint64_t>(match.collection,
                                [&]() -> Result<std::uint64_t> { return count_matches(match); });
}

std::string SqlConnector::describe(const FetchStep& step) const {
  std::vector<std::string> names = step_columns(step);
  names.push_back(step.match.collection);
  for (const std::string& name : names) {
    if (!is_valid_identifier(name)) return "-- not described: " + shown(name) + " is not a valid identifier";
  }
  // The catalog decides per-column SQL on MySQL. describe() is const in the
  // interface; reading the catalog only fills this connector's caches. Without it
  // (the store cannot be reached) columns are described by their plain names.
  auto* self = const_cast<SqlConnector*>(this);
  const TableInfo* info = nullptr;
  if (!connect_failed_) {
    Result<const TableInfo*> read = self->guarded<const TableInfo*>(
        step.match.collection,
        [&]() -> Result<const TableInfo*> { return &self->table(step.match.collection); });
    if (read) info = *read;
  }
  FetchPlan fetch_plan = plan(step, info);
  const std::size_t values = bind_values(step.match).size();
  const std::size_t chunks =
      std::max<std::size_t>(1, (values + limits_.chunk_values - 1) / limits_.chunk_values);
  fetch_plan.statement.value_count = std::clamp<std::size_t>(values, 1, limits_.chunk_values);
  if (pages()) fetch_plan.statement.limit = page_rows_for(chunks);
  return select_sql(fetch_plan.statement);
}

Result<bool> SqlConnector::is_indexed(const std::string& collection, const std::string& field) {
  return guarded<bool>(collection, [&]() -> Result<bool> {
    const TableInfo& info = table_with(collection, {field});
    return first_in_index(session_, collection, info.column(field)->name);
  });
}

// ---- Erasure ----

namespace {

constexpr std::size_t kDefaultChunkRows = 1000;
// Keys per DELETE statement: few enough for any engine's parameter limit (SQLite
// before 3.32 allowed 999) with composite keys, many enough to save round trips.
constexpr std::size_t kDeleteBatch = 100;

std::string key_param_name(std::size_t row, std::size_t column) {
  return "k" + std::to_string(row) + "_" + std::to_string(column);
}

std::string assigned_name(std::size_t index) { return "a" + std::to_string(index); }

// "(a = :k0_0 AND b = :k0_1) OR ..." or, for one key column, "a IN (:k0_0, ...)".
std::string key_condition(const std::vector<std::string>& columns, const std::vector<ParamForm>& forms,
                          std::size_t rows, const std::function<std::string(std::size_t, std::size_t)>& name) {
  std::string out;
  if (columns.size() == 1) {
    out = columns.front() + " IN (";
    for (std::size_t r = 0; r < rows; ++r) out += (r ? ", " : "") + param_expression(forms.front(), name(r, 0));
    return out + ")";
  }
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? " OR (" : "(";
    for (std::size_t c = 0; c < columns.size(); ++c) {
      out += (c ? " AND " : "") + columns[c] + " = " + param_expression(forms[c], name(r, c));
    }
    out += ")";
  }
  return out;
}

std::string rows_committed(const EraseResult& done) {
  return std::to_string(done.rows) + (done.rows == 1 ? " row" : " rows") + " in " +
         std::to_string(done.transactions) + (done.transactions == 1 ? " transaction" : " transactions");
}

void record(EraseResult& done, std::uint64_t rows) {
  done.rows += rows;
  ++done.transactions;
  done.largest_transaction = std::max(done.largest_transaction, rows);
}

void report_chunk(const EraseStep& step, std::uint64_t rows) {
  if (!step.after_chunk) return;
  if (Status s = step.after_chunk(rows); !s) throw std::runtime_error(s.error());
}

}  // namespace

// One write transaction: rolled back unless committed, so that a chunk that fails
// leaves nothing behind while the chunks before it stay.
class SqlConnector::WriteTransaction {
 public:
  explicit WriteTransaction(SqlConnector& connector) : connector_(connector) {
    connector_.begin_write(connector_.session_);
  }
  ~WriteTransaction() {
    if (open_) {
      try {
        connector_.rollback_write(connector_.session_);
      } catch (const std::exception&) {
        // The connection may be gone, and with it the transaction.
      }
    }
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit() {
    open_ = false;
    connector_.commit_write(connector_.session_);
  }

 private:
  SqlConnector& connector_;
  bool open_ = true;
};

std::vector<KeyedRow> SqlConnector::read_page(const FetchPlan& fetch_plan,
                                              const std::vector<std::vector<BindValue>>& chunks,
                                              const Row* after, std::size_t limit, bool lock) {
  std::vector<KeyedRow> rows;
  for (const std::vector<BindValue>& chunk : chunks) {
    std::vector<KeyedRow> part = read_for_write(session_, fetch_plan, chunk, after, limit, lock);
    rows.insert(rows.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  if (chunks.size() > 1) {
    // The first `limit` keys over all chunks: each chunk gave its first `limit`, and a
    // row matched by values in two chunks counts once.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const KeyedRow& a, const KeyedRow& b) { return compare_keys(a.key, b.key) < 0; });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const KeyedRow& a, const KeyedRow& b) { return compare_keys(a.key, b.key) == 0; }),
               rows.end());
    if (rows.size() > limit) rows.resize(limit);
  }
  for (const KeyedRow& row : rows) {
    if (has_null(row.key))
      throw std::runtime_error("a primary key column holds NULL; rows cannot be addressed by key");
  }
  return rows;
}

std::uint64_t SqlConnector::delete_rows(const std::string& table, const std::vector<std::string>& key_columns,
                                        const std::vector<ParamForm>& forms, const std::vector<KeyedRow>& rows) {
  std::uint64_t deleted = 0;
  std::unique_ptr<WriteStatement> statement;
  std::size_t statement_rows = 0;
  for (std::size_t start = 0; start < rows.size(); start += kDeleteBatch) {
    const std::size_t count = std::min(kDeleteBatch, rows.size() - start);
    if (!statement || count != statement_rows) {
      statement = prepare_write(session_, "DELETE FROM " + table + " WHERE " +
                                              key_condition(key_columns, forms, count, key_param_name));
      statement_rows = count;
    }
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t c = 0; c < key_columns.size(); ++c)
        statement->bind(key_param_name(r, c), rows[start + r].key[c]);
    }
    deleted += statement->execute();
  }
  return deleted;
}

void SqlConnector::run_erase(const EraseStep& step, EraseProgress& progress) {
  const MatchSpec& match = step.match;
  if (step.primary_key.empty()) throw std::runtime_error("no primary key given");
  std::vector<std::string> columns = step.primary_key;
  columns.push_back(match.match_field);
  std::set<std::string> assigned;
  for (const FieldAssignment& assignment : step.assignments) {
    columns.push_back(assignment.field);
    const std::string lowered = to_lower_ascii(assignment.field);
    if (!assigned.insert(lowered).second)
      throw std::runtime_error("field " + shown(assignment.field) + ": assigned twice");
    for (const std::string& key : step.primary_key) {
      // Rows are paged by key: a key that changes under the pager loses or repeats rows.
      if (to_lower_ascii(key) == lowered)
        throw std::runtime_error("field " + shown(assignment.field) + ": part of the primary key, not updatable");
    }
    if (!assignment.assign) throw std::runtime_error("field " + shown(assignment.field) + ": no assignment");
  }
  const TableInfo& info = table_with(match.collection, columns);

  if (!step.delete_rows && step.assignments.empty()) {
    // Nothing to write (a collection that is retained): the rows are only counted.
    progress.done.rows = count_matches(match);
    return;
  }
  const std::vector<std::vector<BindValue>> chunks = chunked(bind_values(match), limits_.chunk_values);
  if (chunks.empty()) return;
  const std::size_t limit = step.chunk_rows == 0 ? kDefaultChunkRows : step.chunk_rows;
  const bool constant = std::all_of(step.assignments.begin(), step.assignments.end(),
                                    [](const FieldAssignment& assignment) { return assignment.constant.has_value(); });
  if (writes_in_autocommit() && (step.delete_rows || constant)) {
    erase_by_keys(step, info, chunks, limit, progress);
    return;
  }

  FetchStep read;
  read.match = match;
  read.primary_key = step.primary_key;
  for (const FieldAssignment& assignment : step.assignments) read.fields.push_back(assignment.field);
  if (step.delete_rows) read.fields.clear();
  const FetchPlan fetch_plan = plan(read, &info);

  const std::string table_name = quote_identifier(engine_, match.collection);
  std::vector<std::string> key_columns;
  std::vector<ParamForm> key_forms;
  for (const std::string& key : step.primary_key) {
    key_columns.push_back(quote_identifier(engine_, key));
    key_forms.push_back(key_equality_form(engine_, info.column(key)->kind));
  }

  const auto page = [&](bool lock) {
    return read_page(fetch_plan, chunks, progress.after.empty() ? nullptr : &progress.after, limit, lock);
  };
  if (step.delete_rows) {
    // Paged by key like an update: a row the store declines to delete (a trigger
    // that ignores it) is then not selected again and again; verification finds it.
    for (;;) {
      WriteTransaction transaction(*this);
      const std::vector<KeyedRow> rows = page(false);
      if (rows.empty()) {
        transaction.commit();
        return;
      }
      const std::uint64_t deleted = delete_rows(table_name, key_columns, key_forms, rows);
      transaction.commit();
      record(progress.done, deleted);
      report_chunk(step, deleted);
      progress.after = rows.back().key;
      // Fewer than asked for: at that moment no other row matched.
      if (rows.size() < limit) return;
    }
  }

  // Update: rows that still match after the update sort before the last key and
  // are not read again.
  std::string sql = "UPDATE " + table_name + " SET ";
  for (std::size_t i = 0; i < step.assignments.size(); ++i) {
    sql += (i ? ", " : "") + quote_identifier(engine_, step.assignments[i].field) + " = " +
           param_expression(ParamForm::plain, assigned_name(i));
  }
  sql += " WHERE " + key_condition(key_columns, key_forms, 1, [](std::size_t, std::size_t c) {
           return key_name(c);
         });
  for (;;) {
    WriteTransaction transaction(*this);
    const std::vector<KeyedRow> rows = page(true);
    if (rows.empty()) {
      transaction.commit();
      return;
    }
    std::unique_ptr<WriteStatement> statement = prepare_write(session_, sql);
    std::uint64_t changed = 0;
    std::vector<Value> assigned(step.assignments.size());
    for (const KeyedRow& row : rows) {
      bool differs = false;
      for (std::size_t i = 0; i < step.assignments.size(); ++i) {
        assigned[i] = step.assignments[i].assign(row.fields[i]);
        differs = differs || !(assigned[i] == row.fields[i]);
      }
      // A row already masked (by an earlier, interrupted attempt) is neither written
      // nor counted again.
      if (!differs) continue;
      for (std::size_t i = 0; i < step.assignments.size(); ++i) statement->bind(assigned_name(i), assigned[i]);
      for (std::size_t c = 0; c < key_columns.size(); ++c) statement->bind(key_name(c), row.key[c]);
      statement->execute();
      ++changed;
    }
    statement.reset();
    // A connection lost during COMMIT leaves its outcome unknown: rerunning the page
    // could apply an assignment to values it has already written.
    progress.resumable = false;
    transaction.commit();
    progress.resumable = true;
    record(progress.done, changed);
    report_chunk(step, changed);
    progress.after = rows.back().key;
    if (rows.size() < limit) return;
  }
}

void SqlConnector::erase_by_keys(const EraseStep& step, const TableInfo& info,
                                 const std::vector<std::vector<BindValue>>& chunks, std::size_t limit,
                                 EraseProgress& progress) {
  FetchStep read;
  read.match = step.match;
  read.primary_key = step.primary_key;
  const FetchPlan fetch_plan = plan(read, &info);
  const std::string table_name = quote_identifier(engine_, step.match.collection);
  std::vector<std::string> key_columns;
  std::vector<ParamForm> key_forms;
  for (const std::string& key : step.primary_key) {
    key_columns.push_back(quote_identifier(engine_, key));
    key_forms.push_back(key_equality_form(engine_, info.column(key)->kind));
  }
  std::string assignments;
  std::string unchanged;
  for (std::size_t i = 0; i < step.assignments.size() && !step.delete_rows; ++i) {
    const FieldAssignment& assignment = step.assignments[i];
    const std::string column = quote_identifier(engine_, assignment.field);
    const std::string value = param_expression(ParamForm::plain, assigned_name(i));
    assignments += (i ? ", " : "") + column + " = " + value;
    // Text compares byte for byte: under a case-insensitive collation "[ERASED]"
    // equals "[erased]", and would be left as it is.
    const bool text = info.column(assignment.field)->kind == ColumnKind::text;
    unchanged += (i ? " AND " : "") +
                 (text ? "CAST(" + column + " AS BINARY) <=> " + param_expression(ParamForm::binary, assigned_name(i))
                       : column + " <=> " + value);
  }
  // A chunk is the next `limit` keys (a plain read, which locks nothing) and one
  // statement that deletes or writes exactly those rows, in its own autocommit
  // transaction: it locks only its rows, in key order. Rows already holding the
  // values are left out of an update, so a statement run again after a lost
  // connection writes nothing twice (its rows may go uncounted).
  std::unique_ptr<WriteStatement> statement;
  std::size_t statement_rows = 0;
  for (;;) {
    const std::vector<KeyedRow> rows =
        read_page(fetch_plan, chunks, progress.after.empty() ? nullptr : &progress.after, limit, false);
    if (rows.empty()) return;
    if (!statement || rows.size() != statement_rows) {
      const std::string where = key_condition(key_columns, key_forms, rows.size(), key_param_name);
      statement = prepare_write(session_, step.delete_rows ? "DELETE FROM " + table_name + " WHERE " + where
                                                           : "UPDATE " + table_name + " SET " + assignments +
                                                                 " WHERE (" + where + ") AND NOT (" + unchanged + ")");
      statement_rows = rows.size();
      for (std::size_t i = 0; i < step.assignments.size() && !step.delete_rows; ++i)
        statement->bind(assigned_name(i), *step.assignments[i].constant);
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t c = 0; c < key_columns.size(); ++c) statement->bind(key_param_name(r, c), rows[r].key[c]);
    }
    const std::uint64_t changed = statement->execute();
    if (changed > 0) {
      record(progress.done, changed);
      report_chunk(step, changed);
    }
    progress.after = rows.back().key;
    if (rows.size() < limit) return;
  }
}

Status SqlConnector::insert(const std::string& collection, const std::vector<std::string>& fields,
                            const Row& values) {
  Result<bool> inserted = guarded<bool>(collection, [&]() -> Result<bool> {
    if (fields.size() != values.size() || fields.empty()) throw std::runtime_error("fields and values do not match");
    table_with(collection, fields);  // unknown tables and columns fail here, by name
    std::string sql = "INSERT INTO " + quote_identifier(engine_, collection) + " (";
    std::string params;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      sql += (i ? ", " : "") + quote_identifier(engine_, fields[i]);
      params += (i ? ", " : "") + param_expression(ParamForm::plain, assigned_name(i));
    }
    sql += ") VALUES (" + params + ")";
    WriteTransaction transaction(*this);
    std::unique_ptr<WriteStatement> statement = prepare_write(session_, sql);
    for (std::size_t i = 0; i < values.size(); ++i) statement->bind(assigned_name(i), values[i]);
    statement->execute();
    statement.reset();
    transaction.commit();
    return true;
  });
  if (!inserted) return inserted.take_error();
  return Status::Ok();
}

Result<EraseResult> SqlConnector::erase(const EraseStep& step) {
  EraseProgress progress;
  bool retried = false;
  for (;;) {
    bool retry = false;
    Result<EraseResult> result = guarded<EraseResult>(step.match.collection, [&]() -> Result<EraseResult> {
      try {
        run_erase(step, progress);
      } catch (const std::exception& e) {
        // A connection that died while idle (or mid-chunk, rolled back by the
        // server) is reopened once; committed chunks are not repeated.
        if (retried || !connection_lost(e) || !progress.resumable) throw;
        disconnect();
        retry = true;
      }
      return progress.done;
    });
    if (retry) {
      retried = true;
      continue;
    }
    if (!result && retried && !connected_) {
      // connect() names no collection; the person reading the failure needs to know where it stopped.
      std::string reason = result.error();
      if (const std::string lead = prefix() + ": "; reason.rfind(lead, 0) == 0) reason.erase(0, lead.size());
      result = fail(prefix() + ": collection " + shown(step.match.collection) +
                    ": the connection was lost and reconnecting failed: " + reason);
    }
    if (!result && progress.done.transactions > 0)
      return fail(result.error() + " (" + rows_committed(progress.done) + " committed before the error)");
    return result;
  }
}

}  // namespace dsr::sql
