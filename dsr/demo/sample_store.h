#pragma once
// A sample store for `dsr demo`, tests and benchmarks: the database of a small
// business that markets through a Telegram bot and a newsletter. Subscribers,
// their opt-ins and consent history, private and group chats with their messages,
// newsletter campaigns and the links clicked in them, orders and invoices.
//
// The data is fake and deterministic: the same options give the same rows, byte for
// byte, on every machine. One subject is always present with a known, fixed set of
// rows (KnownSubject), so a request for it has a known answer.
//
// Thread safety: the functions keep no state and may run concurrently on different
// targets.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dsr/common/result.h"

namespace dsr {

struct SampleOptions {
  std::size_t subjects = 5000;  // subscribers, the known subject included; 1 to 10,000,000
  unsigned seed = 42;           // the same seed gives the same store
  // Multiplies the rows each subject has (consent entries, messages, clicks, orders):
  // at 1.0 a subject has about 33 rows in all, so 100,000 subjects make about 3.3
  // million. From 0.01 to 100.
  double scale = 1.0;
};

// The subject whose rows every sample store holds, whatever the options: subscriber
// id 1, with a private chat, messages in a group chat shared with other subscribers,
// clicks on two campaigns, two orders and their invoices. Values are as stored;
// email and username are in mixed case, as people type them.
struct KnownSubject {
  std::string email = "Jane.Doe@Example.com";  // normal form: jane.doe@example.com
  std::int64_t telegram_id = 100000001;
  std::string phone = "+4915112345678";
  std::string username = "Jane_Doe";  // normal form: jane_doe
};

// Rows per table, in the order the tables are created.
using SampleCounts = std::vector<std::pair<std::string, std::uint64_t>>;

// What a request for the known subject finds in each table: its own rows (by identity
// or by reference to them) and, for chats and campaigns, the rows they point at.
// The counts do not depend on SampleOptions.
SampleCounts known_subject_rows();

// Creates a SQLite file at `path` holding the sample store. Fails, without touching
// it, when the file exists; on any other failure the partly written file is removed.
// `counts`, when given, receives the rows written per table.
Status create_sample_sqlite(const std::string& path, const SampleOptions& options,
                            SampleCounts* counts = nullptr);

// Creates the sample tables in the existing database named by the SOCI connection
// string ("db=marketing user=... password=... host=... port=..."). Fails when one of
// the tables exists; on a failure after that, the tables it created are dropped.
Status create_sample_mysql(const std::string& soci_connection, const SampleOptions& options,
                           SampleCounts* counts = nullptr);

// A dataset mapping (schemas/dataset.schema.json) of the sample store, dataset
// "marketing", reached through the connector named `connector_name`.
std::string sample_mapping_json(const std::string& connector_name);

}  // namespace dsr
