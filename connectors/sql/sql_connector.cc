#include "connectors/sql/sql_connector.h"

#include <algorithm>
#include <stdexcept>

#include "dsr/common/text.h"

namespace dsr::sql {

namespace {

// A name as it appears in messages: quoted plainly when it is an identifier, and
// escaped when it is not (it never reached SQL then).
std::string shown(const std::string& name) {
  return is_valid_identifier(name) ? "'" + name + "'" : quote_for_message(name);
}

// The driver's message without the context SOCI appends, which quotes the statement
// and the values bound to it: values are personal data and must not reach logs.
std::string message_of(const std::exception& error) {
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    std::string text = soci_error->get_error_message();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '.'))
      text.pop_back();
    return text;
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
  statement.match = match_expression(engine_, quote_identifier(engine_, step.match.match_field),
                                     step.match.mode, step.match.stored_as);
  return plan;
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

Result<std::uint64_t> SqlConnector::count(const MatchSpec& match) {
  return guarded<std::uint64_t>(match.collection, [&]() -> Result<std::uint64_t> {
    table_with(match.collection, {match.match_field});
    const MatchExpression expression =
        match_expression(engine_, quote_identifier(engine_, match.match_field), match.mode, match.stored_as);
    const std::string table_name = quote_identifier(engine_, match.collection);
    std::uint64_t total = 0;
    for (const std::vector<BindValue>& chunk : chunked(bind_values(match), limits_.chunk_values)) {
      total += count_rows(session_, count_sql(table_name, expression, chunk.size()), chunk);
    }
    return total;
  });
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

}  // namespace dsr::sql
