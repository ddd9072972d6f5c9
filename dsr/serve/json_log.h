#pragma once
// The server's log: one JSON object per line (time, level, event, fields). Callers pass
// only what is safe to keep: route patterns, status codes, counts, officer names and
// request ids, never identities, message texts, tokens or client addresses.

#include <Poco/JSON/Object.h>

#include <mutex>
#include <ostream>
#include <string>

namespace dsr::serve {

class JsonLog {
 public:
  explicit JsonLog(std::ostream& out) : out_(&out) {}
  void redirect(std::ostream& out);

  // fields may be null. Thread-safe; each line is flushed.
  void write(const std::string& level, const std::string& event, Poco::JSON::Object::Ptr fields = nullptr);
  void info(const std::string& event, Poco::JSON::Object::Ptr fields = nullptr) {
    write("info", event, fields);
  }
  void error(const std::string& event, Poco::JSON::Object::Ptr fields = nullptr) {
    write("error", event, fields);
  }

 private:
  std::mutex mutex_;
  std::ostream* out_;
};

// A small builder: fields({{"status", 200}, {"route", "/healthz"}}).
Poco::JSON::Object::Ptr fields(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> items);

}  // namespace dsr::serve
