#include "tests/mail/corpus.h"

#include <Poco/Base64Encoder.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dsr::test {

std::string corpus_dir() { return DSR_MAIL_CORPUS_DIR; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string with_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string expand_template(const std::string& text) {
  const std::string marker = "@@ATTACHMENT_5MB_BASE64@@";
  const auto at = text.find(marker);
  if (at == std::string::npos) return text;
  std::string payload(5 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>((i * 7919u) % 251u);
  std::ostringstream encoded;
  Poco::Base64Encoder encoder(encoded);
  encoder.rdbuf()->setLineLength(76);
  encoder << payload;
  encoder.close();
  return text.substr(0, at) + encoded.str() + text.substr(at + marker.size());
}

std::vector<CorpusCase> load_corpus() {
  std::istringstream lines(read_file(corpus_dir() + "/expected.txt"));
  std::vector<CorpusCase> cases;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    CorpusCase c;
    fields >> c.file >> c.outcome >> c.type >> c.code_to;
    if (c.code_to.empty()) throw std::runtime_error("expected.txt: incomplete line: " + line);
    c.raw = with_crlf(expand_template(read_file(corpus_dir() + "/" + c.file)));
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace dsr::test
