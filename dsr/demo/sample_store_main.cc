// dsr-sample-store: writes the sample marketing store (and its mapping) for demos,
// tests and benchmarks. Exit codes as dsr's: 0 success, 1 failure, 2 usage error.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "dsr/demo/sample_store.h"

namespace {

constexpr const char* kUsage =
    "usage: dsr-sample-store (--sqlite FILE | --mysql CONNECTION) [--subjects N] [--scale X] [--seed S]\n"
    "                        [--mapping-out FILE --connector NAME]\n"
    "  --sqlite FILE        create a new SQLite file (refused when it exists)\n"
    "  --mysql CONNECTION   create the tables in an existing database, e.g.\n"
    "                       \"db=marketing user=dsr password=... host=127.0.0.1 port=3306\"\n"
    "  --subjects N         subscribers, the known subject Jane Doe included (default 5000)\n"
    "  --scale X            rows per subscriber multiplier; 1.0 is about 33 rows (default 1.0)\n"
    "  --seed S             the same seed gives the same store (default 42)\n"
    "  --mapping-out FILE   also write the dataset mapping, naming connector NAME\n";

int usage(const std::string& problem) {
  std::cerr << "dsr-sample-store: " << problem << "\n" << kUsage;
  return 2;
}

template <typename Number>
bool parse_number(const std::string& text, Number& out) {
  try {
    std::size_t used = 0;
    if constexpr (std::is_floating_point_v<Number>) {
      out = static_cast<Number>(std::stod(text, &used));
    } else {
      if (text.empty() || text[0] == '-') return false;
      out = static_cast<Number>(std::stoull(text, &used));
    }
    return used == text.size();
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> sqlite, mysql, mapping_out, connector;
  dsr::SampleOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (i + 1 >= argc) return usage(std::string(flag) + ": needs a value");
    const std::string value = argv[++i];
    if (flag == "--sqlite") {
      sqlite = value;
    } else if (flag == "--mysql") {
      mysql = value;
    } else if (flag == "--mapping-out") {
      mapping_out = value;
    } else if (flag == "--connector") {
      connector = value;
    } else if (flag == "--subjects") {
      if (!parse_number(value, options.subjects)) return usage("--subjects: expected a whole number");
    } else if (flag == "--scale") {
      if (!parse_number(value, options.scale)) return usage("--scale: expected a number");
    } else if (flag == "--seed") {
      unsigned long long seed = 0;
      if (!parse_number(value, seed) || seed > 0xffffffffULL)
        return usage("--seed: expected 0 to 4294967295");
      options.seed = static_cast<unsigned>(seed);
    } else {
      return usage("unknown option " + std::string(flag));
    }
  }
  if (sqlite.has_value() == mysql.has_value()) return usage("give exactly one of --sqlite and --mysql");
  if (mapping_out.has_value() != connector.has_value())
    return usage("--mapping-out and --connector go together");

  const auto started = std::chrono::steady_clock::now();
  dsr::SampleCounts counts;
  const dsr::Status created = sqlite ? dsr::create_sample_sqlite(*sqlite, options, &counts)
                                     : dsr::create_sample_mysql(*mysql, options, &counts);
  if (!created) {
    std::cerr << "dsr-sample-store: " << created.error() << "\n";
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (mapping_out) {
    std::ofstream out(*mapping_out, std::ios::binary | std::ios::trunc);
    out << dsr::sample_mapping_json(*connector);
    out.close();
    if (!out) {
      std::cerr << "dsr-sample-store: " << *mapping_out << ": cannot write the mapping\n";
      return 1;
    }
  }

  std::uint64_t total = 0;
  for (const auto& [table, rows] : counts) {
    std::printf("%-12s %10llu\n", table.c_str(), static_cast<unsigned long long>(rows));
    total += rows;
  }
  // The connection string may hold a password: the target is named by engine only.
  std::printf("%-12s %10llu rows, %zu subjects, written to %s in %.2f s\n", "total",
              static_cast<unsigned long long>(total), options.subjects,
              sqlite ? sqlite->c_str() : "the MySQL database", seconds);
  return 0;
}
