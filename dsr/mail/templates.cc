#include "dsr/mail/templates.h"

#include <kainjow/mustache.hpp>

#include <Poco/File.h>

#include <fstream>
#include <sstream>

#include "mail_templates.h"

namespace dsr::mail {

namespace {

Result<std::string> template_text(const std::string& templates_dir, const std::string& name) {
  if (!templates_dir.empty()) {
    const std::string path = templates_dir + "/" + name;
    if (Poco::File(path).exists()) {
      std::ifstream in(path, std::ios::binary);
      if (!in) return fail("mail template " + path + ": cannot read");
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }
  }
  for (const auto& [builtin_name, text] : mail_templates::kAll) {
    if (builtin_name == name) return std::string(text);
  }
  return fail("mail template " + name + ": no such template");
}

}  // namespace

Result<RenderedMail> render_template(const std::string& templates_dir, const std::string& name,
                                     const std::map<std::string, std::string>& values) {
  auto text = template_text(templates_dir, name);
  if (!text) return text.take_error();
  kainjow::mustache::mustache tmpl(*text);
  if (!tmpl.is_valid()) return fail("mail template " + name + ": " + tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  kainjow::mustache::data data;
  for (const auto& [key, value] : values) {
    if (key.rfind("has_", 0) == 0) {
      data.set(key, value.empty() ? kainjow::mustache::data::type::bool_false
                                  : kainjow::mustache::data::type::bool_true);
    } else {
      data.set(key, value);
    }
  }
  const std::string rendered = tmpl.render(data);
  if (!tmpl.is_valid()) return fail("mail template " + name + ": " + tmpl.error_message());
  if (rendered.rfind("Subject: ", 0) != 0)
    return fail("mail template " + name + ": must start with \"Subject: \"");
  const auto line_end = rendered.find('\n');
  if (line_end == std::string::npos) return fail("mail template " + name + ": has no body");
  RenderedMail mail;
  mail.subject = rendered.substr(9, line_end - 9);
  std::size_t body_start = line_end + 1;
  if (body_start < rendered.size() && rendered[body_start] == '\n') ++body_start;
  mail.body = rendered.substr(body_start);
  return mail;
}

}  // namespace dsr::mail
