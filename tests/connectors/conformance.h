#pragma once
// Connector conformance: Boost.Test cases (conformance.cc) written against the
// Connector interface only. A test executable for one connector kind links them and
// defines make_conformance_context(), which knows how to put collections into a
// store of that kind and how to build a connector for it. Every case gets a fresh
// context, hence a fresh store.
//
// The cases fix what the rest of dsr relies on: exact matching on bound values,
// types that survive, rows complete and in key order however many values and rows,
// and errors that name the connector and the collection.

#include <memory>
#include <string>
#include <vector>

#include "connectors/core/connector.h"
#include "connectors/core/registry.h"

namespace dsr::test {

class ConformanceContext {
 public:
  virtual ~ConformanceContext() = default;

  // The connector kind under test ("sqlite").
  virtual std::string kind() const = 0;

  // Creates a collection. columns is a column list in the SQL that SQLite and MySQL
  // share ("id BIGINT PRIMARY KEY, email VARCHAR(255)"); a store without SQL maps it.
  virtual void create_collection(const std::string& name, const std::string& columns) = 0;
  // Adds rows, values in column order.
  virtual void insert(const std::string& collection, const std::vector<Row>& rows) = 0;
  virtual void create_index(const std::string& collection, const std::vector<std::string>& fields) = 0;
  virtual void drop_collection(const std::string& name) = 0;
  // Every row of a collection, all columns in column order, ordered by order_by (a
  // column list), read without the connector: what erasure tests compare.
  virtual std::vector<Row> dump(const std::string& collection, const std::string& order_by) = 0;

  // Settings of a connector for this store; make() creates one through the registry.
  virtual ConnectorSettings settings(const std::string& name) = 0;
  // Settings of a store that cannot be reached.
  virtual ConnectorSettings unreachable_settings(const std::string& name) = 0;
  // The settings key without which a connector of this kind cannot be created.
  virtual std::string required_setting() const = 0;

  // A column type for text that the store compares ignoring case (SQLite's NOCASE, a
  // MySQL _ci collation), for create_collection().
  virtual std::string text_ignoring_case() const = 0;

  // How describe() shows the first bound value, e.g. ":v0".
  virtual std::string first_placeholder() const = 0;

  // Quirk: whether the test can cut the connections to the store (to show that a
  // connector reconnects), and doing it.
  virtual bool can_cut_connections() const { return false; }
  virtual void cut_connections() {}

  std::unique_ptr<Connector> make(const std::string& name = "store");
};

// Defined by the test executable of each connector kind.
std::unique_ptr<ConformanceContext> make_conformance_context();

}  // namespace dsr::test
