#define BOOST_TEST_MODULE export package writer memory
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

#include "dsr/export/export_writer.h"
#include "tests/export/export_test_support.h"

using namespace dsr;
using namespace dsr::export_test;

namespace {

// Peak resident set size of this process so far (VmHWM), in KiB.
long peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  throw std::runtime_error("no VmHWM in /proc/self/status");
}

ExportResult export_rows(const std::string& dir, const std::string& request_id, std::int64_t rows, bool encrypt) {
  auto options = options_in(dir, request_id);
  options.encrypt = encrypt;
  auto writer = ExportWriter::open(options);
  BOOST_REQUIRE(writer.ok());
  BOOST_REQUIRE((*writer)
                    ->begin_collection("crm", "events",
                                       {{"id", "observed"}, {"label", "observed"}, {"score", "inferred"},
                                        {"flag", "observed"}})
                    .ok());
  Row row(4);
  for (std::int64_t i = 0; i < rows; ++i) {
    row[0] = i;
    row[1] = "event \"" + std::to_string(i) + "\", <ok>";
    row[2] = static_cast<double>(i) / 7.0;
    row[3] = (i % 3 == 0) ? Value{} : Value{i % 2 == 0};
    BOOST_REQUIRE((*writer)->add_row(row).ok());
  }
  BOOST_REQUIRE((*writer)->end_collection().ok());
  auto result = (*writer)->finish(sample_notice());
  BOOST_REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error()));
  return std::move(*result);
}

}  // namespace

BOOST_AUTO_TEST_CASE(peak_memory_does_not_grow_with_the_number_of_rows) {
  ScratchDir dir;
  const long start = peak_rss_kib();
  const auto small = export_rows(dir.path(), "small", 10, false);
  const long after_small = peak_rss_kib();

  const auto t0 = std::chrono::steady_clock::now();
  const auto large = export_rows(dir.path(), "large", 1'000'000, true);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const long after_large = peak_rss_kib();

  BOOST_TEST(small.total_rows == 10u);
  BOOST_TEST(large.total_rows == 1'000'000u);
  std::uint64_t data_bytes = 0;
  for (const auto& file : large.files) data_bytes += file.size;

  std::cout << "peak RSS (VmHWM) before: " << start << " KiB\n"
            << "after 10 rows:           " << after_small << " KiB (+" << (after_small - start) << " KiB)\n"
            << "after 1,000,000 rows:    " << after_large << " KiB (+" << (after_large - after_small)
            << " KiB over the 10-row export)\n"
            << "1,000,000 rows: " << data_bytes / (1024 * 1024) << " MiB uncompressed, ZIP "
            << large.zip_size / (1024 * 1024) << " MiB (AES-256), " << seconds << " s\n";
  BOOST_TEST(after_large - after_small < 50 * 1024);
}
