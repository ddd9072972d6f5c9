#include "dsr/telegram/bot_api.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/FilePartSource.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <sstream>
#include <thread>

namespace dsr::telegram {

namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<Poco::Net::HTTPClientSession> open_session(const Poco::URI& uri,
                                                           std::chrono::seconds timeout) {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (uri.getScheme() == "https") {
    static const Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_STRICT, 9, true);
    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), context);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
  return session;
}

std::string read_body(Poco::Net::HTTPClientSession& session, Poco::Net::HTTPResponse& response) {
  std::istream& in = session.receiveResponse(response);
  std::string body;
  Poco::StreamCopier::copyToString(in, body);
  return body;
}

std::chrono::milliseconds interval(double per_second) {
  if (per_second <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(1000.0 / per_second));
}

}  // namespace

ApiReply parse_reply(const std::string& body) {
  ApiReply reply;
  try {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (!object) throw Poco::Exception("not an object");
    reply.ok = object->has("ok") && object->get("ok").isBoolean() && object->getValue<bool>("ok");
    if (reply.ok) {
      reply.result = object->get("result");
    } else {
      if (object->has("error_code") && object->get("error_code").isInteger()) {
        reply.error_code = object->getValue<int>("error_code");
      }
      if (object->has("description") && object->get("description").isString()) {
        reply.description = object->getValue<std::string>("description");
      }
      if (auto parameters = object->getObject("parameters"); parameters && parameters->has("retry_after")) {
        reply.result = parameters->get("retry_after");
      }
    }
  } catch (const std::exception&) {
    reply = ApiReply{};
    reply.parsed = false;
    reply.raw = body;
  }
  return reply;
}

BotApi::BotApi(BotApiOptions options) : options_(std::move(options)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
}

std::string BotApi::method_path(const std::string& method) const {
  return options_.base_url + "/bot" + options_.token + "/" + method;
}

void BotApi::pace(long long chat_id) {
  const auto now = Clock::now();
  auto ready = last_message_ + interval(options_.messages_per_second);
  if (chat_id != 0) {
    if (auto it = last_to_chat_.find(chat_id); it != last_to_chat_.end()) {
      ready = std::max(ready, it->second + interval(options_.messages_per_second_per_chat));
    }
  }
  if (ready > now)
    options_.sleep(std::chrono::duration_cast<std::chrono::milliseconds>(ready - now) +
                   std::chrono::milliseconds(1));
}

void BotApi::sent_to(long long chat_id) {
  // Counted from when the previous call ended, so Telegram sees the spacing whatever the
  // network did to that call.
  last_message_ = Clock::now();
  if (chat_id != 0) last_to_chat_[chat_id] = last_message_;
}

Result<ApiReply> BotApi::with_retries(const std::string& method, long long chat_id, const Attempt& attempt) {
  std::chrono::milliseconds backoff = options_.backoff;
  std::string last_problem;
  for (int n = 1; n <= std::max(1, options_.max_attempts); ++n) {
    if (chat_id != 0) pace(chat_id);
    auto answer = attempt();
    if (chat_id != 0) sent_to(chat_id);
    std::chrono::milliseconds wait = backoff;
    if (!answer) {
      last_problem = answer.error();
    } else {
      const auto& [status, body] = *answer;
      ApiReply reply = parse_reply(body);
      if (status == 429 || reply.error_code == 429) {
        long long seconds = reply.result.isEmpty() ? 1 : reply.result.convert<long long>();
        if (seconds > options_.longest_retry_after.count()) {
          return fail("telegram " + method + ": rate limited for " + std::to_string(seconds) + " s");
        }
        last_problem = "rate limited (429)";
        wait = std::chrono::seconds(std::max(1LL, seconds));
      } else if (status >= 500) {
        last_problem = "HTTP " + std::to_string(status);
        backoff *= 2;
      } else {
        if (!reply.parsed && status != 200) {
          return fail("telegram " + method + ": HTTP " + std::to_string(status) +
                      " without a Bot API answer");
        }
        return reply;
      }
    }
    if (n < options_.max_attempts) options_.sleep(wait);
  }
  return fail("telegram " + method + ": gave up after " + std::to_string(options_.max_attempts) +
              " attempts: " + last_problem);
}

Result<ApiReply> BotApi::call(const std::string& method, const Poco::JSON::Object& params, long long chat_id,
                              std::chrono::seconds long_poll) {
  std::ostringstream json;
  params.stringify(json);
  const std::string body = json.str();
  return with_retries(method, chat_id, [&]() -> Result<std::pair<int, std::string>> {
    try {
      const Poco::URI uri(method_path(method));
      auto session = open_session(uri, options_.request_timeout + long_poll);
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session->sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::string answer = read_body(*session, response);
      return std::make_pair(static_cast<int>(response.getStatus()), std::move(answer));
    } catch (const Poco::Exception& e) {
      // displayText() of a network failure names host and port, never the path with the token.
      return fail("telegram " + method + ": " + e.className());
    } catch (const std::exception& e) {
      return fail("telegram " + method + ": " + e.what());
    }
  });
}

Result<ApiReply> BotApi::upload(const std::string& method, const std::map<std::string, std::string>& fields,
                                const std::string& file_field, const Upload& file, long long chat_id) {
  return with_retries(method, chat_id, [&]() -> Result<std::pair<int, std::string>> {
    try {
      const Poco::URI uri(method_path(method));
      auto session = open_session(uri, options_.request_timeout * 6);
      Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
      for (const auto& [name, value] : fields) form.set(name, value);
      form.addPart(file_field, new Poco::Net::FilePartSource(file.path, file.file_name, file.content_type));
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathEtc(),
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      form.prepareSubmit(request);
      // A known length instead of chunked encoding, which not every server reads.
      request.setChunkedTransferEncoding(false);
      request.setContentLength(static_cast<std::streamsize>(form.calculateContentLength()));
      form.write(session->sendRequest(request));
      Poco::Net::HTTPResponse response;
      std::string answer = read_body(*session, response);
      return std::make_pair(static_cast<int>(response.getStatus()), std::move(answer));
    } catch (const Poco::FileException& e) {
      return fail("telegram " + method + ": cannot read the file to send: " + e.className());
    } catch (const Poco::Exception& e) {
      return fail("telegram " + method + ": " + e.className());
    } catch (const std::exception& e) {
      return fail("telegram " + method + ": " + e.what());
    }
  });
}

Result<ApiReply> BotApi::get_me() { return call("getMe", Poco::JSON::Object()); }

Result<ApiReply> BotApi::get_updates(long long offset, int limit, std::chrono::seconds timeout) {
  Poco::JSON::Object params;
  params.set("offset", offset);
  params.set("limit", std::clamp(limit, 1, 100));
  params.set("timeout", static_cast<long long>(timeout.count()));
  Poco::JSON::Array::Ptr allowed = new Poco::JSON::Array;
  allowed->add("message");
  allowed->add("callback_query");
  params.set("allowed_updates", allowed);
  return call("getUpdates", params, 0, timeout);
}

Result<ApiReply> BotApi::set_webhook(const std::string& url, const std::string& secret_token) {
  Poco::JSON::Object params;
  params.set("url", url);
  params.set("secret_token", secret_token);
  // One call at a time keeps updates in order, which the stored offset relies on.
  params.set("max_connections", 1);
  Poco::JSON::Array::Ptr allowed = new Poco::JSON::Array;
  allowed->add("message");
  allowed->add("callback_query");
  params.set("allowed_updates", allowed);
  return call("setWebhook", params);
}

Result<ApiReply> BotApi::delete_webhook() { return call("deleteWebhook", Poco::JSON::Object()); }

}  // namespace dsr::telegram
