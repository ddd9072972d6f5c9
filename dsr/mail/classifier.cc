#include "dsr/mail/classifier.h"

#include <Poco/UTF8String.h>

#include <map>
#include <sstream>

namespace dsr::mail {

namespace {

std::string own_text(const std::string& body) {
  std::istringstream lines(body);
  std::string line, out;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == '>') continue;
    out += line;
    out += '\n';
  }
  return out;
}

int occurrences(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return 0;
  int count = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace

RequestType classify(const std::string& subject, const std::string& body,
                     const std::vector<Keyword>& keywords) {
  const std::string lower_subject = Poco::UTF8::toLower(subject);
  const std::string lower_body = Poco::UTF8::toLower(own_text(body));
  std::map<RequestType, int> score;
  for (const auto& keyword : keywords) {
    const int hits = 3 * occurrences(lower_subject, keyword.text) + occurrences(lower_body, keyword.text);
    if (hits > 0) score[keyword.type] += hits;
  }
  RequestType best = RequestType::unknown;
  int best_score = 0;
  bool tie = false;
  for (const auto& [type, points] : score) {
    if (points > best_score) {
      best = type;
      best_score = points;
      tie = false;
    } else if (points == best_score) {
      tie = true;
    }
  }
  return tie ? RequestType::unknown : best;
}

}  // namespace dsr::mail
