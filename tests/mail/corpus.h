#pragma once
// The fixture messages of tests/mail/corpus and their expected outcomes
// (corpus/expected.txt). The 5 MB attachment is made at run time from its
// template, so the repository holds no 5 MB file.

#include <string>
#include <vector>

namespace dsr::test {

struct CorpusCase {
  std::string file;
  std::string outcome;  // request | ignored | rejected
  std::string type;     // for requests; "-" otherwise
  std::string code_to;  // where the verification code must go; "-" when nowhere
  std::string raw;      // the message as the mailbox holds it
};

std::vector<CorpusCase> load_corpus();

// The folder of the fixture files.
std::string corpus_dir();

// A message from a template: the @@ATTACHMENT_5MB_BASE64@@ line becomes 5 MB of base64.
std::string expand_template(const std::string& text);

// CRLF line ends, as a mail server hands out messages.
std::string with_crlf(const std::string& text);

std::string read_file(const std::string& path);

}  // namespace dsr::test
