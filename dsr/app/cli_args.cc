#include "dsr/app/cli_args.h"

namespace dsr::cli {

namespace {
bool has_sub_command(const std::string& command) {
  return command == "audit" || command == "officer" || command == "mail" || command == "bot" || command == "controller";
}
}  // namespace

Result<Args> Args::split(int argc, char** argv) {
  Args args;
  std::vector<std::string> all(argv + 1, argv + argc);
  std::vector<std::string> remaining;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& word = all[i];
    if (word == "--json") {
      args.json_ = true;
    } else if (word == "--config") {
      if (i + 1 >= all.size()) return fail("--config needs a file path");
      args.config_path_ = all[++i];
    } else if (word.rfind("--config=", 0) == 0) {
      args.config_path_ = word.substr(9);
    } else {
      remaining.push_back(word);
    }
  }
  if (remaining.empty()) return fail("no command given");
  args.command_ = remaining.front();
  std::size_t next = 1;
  if (has_sub_command(args.command_)) {
    if (remaining.size() < 2 || remaining[1].rfind("--", 0) == 0) {
      return fail("'" + args.command_ + "' needs a sub-command");
    }
    args.command_ += " " + remaining[1];
    next = 2;
  }
  args.rest_.assign(remaining.begin() + static_cast<std::ptrdiff_t>(next), remaining.end());
  return args;
}

Status Args::parse(const OptionSpec& spec) {
  for (std::size_t i = 0; i < rest_.size(); ++i) {
    std::string word = rest_[i];
    if (word.rfind("--", 0) != 0 || word == "--") {
      words_.push_back(word);
      continue;
    }
    std::optional<std::string> inline_value;
    if (auto eq = word.find('='); eq != std::string::npos) {
      inline_value = word.substr(eq + 1);
      word = word.substr(0, eq);
    }
    if (spec.flags.count(word)) {
      if (inline_value) return fail(word + " takes no value");
      flags_.insert(word);
    } else if (spec.values.count(word)) {
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else {
        if (i + 1 >= rest_.size()) return fail(word + " needs a value");
        value = rest_[++i];
      }
      if (values_.count(word) && !spec.repeatable.count(word)) return fail(word + " given twice");
      values_.emplace(word, value);
    } else {
      return fail("unknown option " + word + " for '" + command_ + "'");
    }
  }
  if (words_.size() < spec.min_words || words_.size() > spec.max_words) {
    if (spec.max_words == 0) return fail("'" + command_ + "' takes no arguments besides options");
    return fail("'" + command_ + "' takes " +
                (spec.min_words == spec.max_words ? std::to_string(spec.min_words)
                                                  : std::to_string(spec.min_words) + " to " +
                                                        std::to_string(spec.max_words)) +
                " argument(s)");
  }
  return Status::Ok();
}

std::optional<std::string> Args::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::values(const std::string& name) const {
  std::vector<std::string> out;
  auto [begin, end] = values_.equal_range(name);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

}  // namespace dsr::cli
