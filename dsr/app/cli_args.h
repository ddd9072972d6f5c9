#pragma once
// Command-line parsing for `dsr [--config FILE] [--json] <command> [words] [--option value] [--flag]`.
// Each command declares the options it takes; anything else is a usage error (exit 2).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dsr/common/result.h"

namespace dsr::cli {

struct OptionSpec {
  std::set<std::string> flags;       // "--verified"
  std::set<std::string> values;      // "--type" TYPE
  std::set<std::string> repeatable;  // subset of values that may be given more than once
  std::size_t min_words = 0;         // positional words after the command (and its sub-command)
  std::size_t max_words = 0;
};

class Args {
 public:
  // Splits argv into the global options, the command (and sub-command for "audit" and
  // "officer") and the rest, which is kept unparsed until the command's spec is known.
  static Result<Args> split(int argc, char** argv);

  // Parses the rest against the command's spec.
  Status parse(const OptionSpec& spec);

  const std::string& command() const { return command_; }
  const std::string& config_path() const { return config_path_; }
  bool json() const { return json_; }

  const std::vector<std::string>& words() const { return words_; }
  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  std::optional<std::string> value(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;

 private:
  std::string command_;
  std::string config_path_ = "dsr.json";
  bool json_ = false;
  std::vector<std::string> rest_;
  std::vector<std::string> words_;
  std::set<std::string> flags_;
  std::multimap<std::string, std::string> values_;
};

}  // namespace dsr::cli
