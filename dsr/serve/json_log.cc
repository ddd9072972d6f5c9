#include "dsr/serve/json_log.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace dsr::serve {

void JsonLog::redirect(std::ostream& out) {
  std::lock_guard lock(mutex_);
  out_ = &out;
}

void JsonLog::write(const std::string& level, const std::string& event, Poco::JSON::Object::Ptr extra) {
  Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
  line.set("ts", Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ"));
  line.set("level", level);
  line.set("event", event);
  if (extra) {
    for (const auto& [key, value] : *extra) line.set(key, value);
  }
  std::lock_guard lock(mutex_);
  line.stringify(*out_);
  *out_ << '\n' << std::flush;
}

Poco::JSON::Object::Ptr fields(std::initializer_list<std::pair<std::string, Poco::Dynamic::Var>> items) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [key, value] : items) object->set(key, value);
  return object;
}

}  // namespace dsr::serve
