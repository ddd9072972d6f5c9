#include "tests/telegram/bot_world.h"

#include <boost/test/unit_test.hpp>

#include <Poco/File.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "dsr/audit/audit_log.h"
#include "dsr/demo/sample_store.h"

namespace dsr::test {

namespace {

constexpr const char* kToken = "123456:TEST-token_for-dsr";

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

Poco::JSON::Object::Ptr user(long long id, const std::string& language) {
  Poco::JSON::Object::Ptr from = new Poco::JSON::Object;
  from->set("id", id);
  from->set("is_bot", false);
  from->set("first_name", "Jane");
  from->set("username", "jane_doe");
  from->set("language_code", language);
  return from;
}

TimePoint now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

BotWorld::BotWorld(WorldOptions world_options) : clock(now_seconds()), options(std::move(world_options)) {
  folder = store.folder();
  server = std::make_unique<BotApiServer>(kToken, folder + "/bot-api");
  SampleOptions sample;
  sample.subjects = 200;
  if (Status s = create_sample_sqlite(folder + "/marketing.sqlite", sample); !s)
    throw std::runtime_error(s.error());
  std::ofstream(folder + "/marketing.json") << sample_mapping_json("marketing_db");
  Poco::File(folder + "/exports").createDirectories();
  const std::string config_text = R"({
    "state": {"engine": "sqlite", "sqlite": "unused.sqlite"},
    "export_dir": "exports",
    "controller": {"name": "Example Marketing GmbH", "contact": "privacy@example.com",
                   "supervisory_authority": "Example Data Protection Authority"},
    "connectors": [{"name": "marketing_db", "kind": "sqlite", "path": "marketing.sqlite"}],
    "mappings": ["marketing.json"],
    "telegram": {"token": ")" + std::string(kToken) +
                                  R"(", "base_url": ")" + server->base_url() +
                                  R"(", "messages_per_second_per_chat": 20)" +
                                  (options.telegram_extra.empty() ? "" : ", " + options.telegram_extra) +
                                  "}}";
  auto parsed = parse_config(config_text, folder + "/dsr.json");
  if (!parsed) throw std::runtime_error(parsed.error());
  config = std::move(*parsed);
  register_builtin_connectors(registry);
  db = store.open_initialised();
  if (Status s = AuditLog(*db, key, clock).initialise(); !s) throw std::runtime_error(s.error());
  if (Status s =
          OfficerService(*db, key, clock).add("olga", OfficerRole::officer, "correct horse battery", "test");
      !s) {
    throw std::runtime_error(s.error());
  }
  restart();
}

BotWorld::~BotWorld() {
  bot.reset();
  api.reset();
  requests.reset();
  db.reset();
}

void BotWorld::restart() {
  bot.reset();
  api.reset();
  requests.reset();
  db = store.open();
  requests = std::make_unique<RequestService>(*db, key, clock);
  auto settings = telegram::read_bot_settings(config);
  if (!settings) throw std::runtime_error(settings.error());
  if (options.max_upload_bytes != 0) settings->max_upload_bytes = options.max_upload_bytes;
  auto api_options = telegram::api_options(*settings);
  api_options.backoff = std::chrono::milliseconds(50);
  api = std::make_unique<telegram::BotApi>(api_options);
  telegram::BotEnvironment environment{*db,        key,
                                       clock,      identities,
                                       config,     *settings,
                                       nullptr,    options.mailer,
                                       link_maker, [this](const std::string& line) {
                                         log.push_back(line); }};
  bot = std::make_unique<telegram::Bot>(std::move(environment), *api);
}

std::vector<Call> BotWorld::calls() {
  std::vector<Call> out;
  const auto array = server->calls();
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto call = array->getObject(static_cast<unsigned>(i));
    const auto params = call->getObject("params");
    Call c;
    c.method = call->getValue<std::string>("method");
    c.at = call->getValue<double>("at");
    c.answered = call->has("answered") ? call->getValue<int>("answered") : 0;
    if (params->has("chat_id")) c.chat_id = std::stoll(params->get("chat_id").toString());
    for (const char* key : {"text", "caption"}) {
      if (params->has(key)) c.text = params->getValue<std::string>(key);
    }
    if (params->has("callback_query_id"))
      c.callback_query_id = params->getValue<std::string>("callback_query_id");
    if (params->has("protect_content")) {
      const auto value = params->get("protect_content");
      c.protect_content = value.isBoolean() ? value.convert<bool>() : value.toString() == "true";
    }
    if (auto markup = params->getObject("reply_markup")) {
      auto rows = markup->getArray("inline_keyboard");
      for (std::size_t r = 0; rows && r < rows->size(); ++r) {
        auto buttons = rows->getArray(static_cast<unsigned>(r));
        for (std::size_t b = 0; b < buttons->size(); ++b) {
          const auto button = buttons->getObject(static_cast<unsigned>(b));
          c.buttons.push_back(button->getValue<std::string>("callback_data"));
          c.labels.push_back(button->getValue<std::string>("text"));
        }
      }
    }
    if (auto files = call->getObject("files")) {
      if (auto document = files->getObject("document")) {
        c.file_saved = document->getValue<std::string>("saved");
        c.file_sha256 = document->getValue<std::string>("sha256");
        c.file_name = document->getValue<std::string>("filename");
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Call> BotWorld::poll_until(const std::function<bool(const std::vector<Call>&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    auto polled = bot->poll_once(std::chrono::seconds(0));
    if (!polled) BOOST_TEST_MESSAGE("poll: " << polled.error());
    auto recorded = calls();
    if (done(recorded)) return recorded;
    if (std::chrono::steady_clock::now() > deadline) {
      BOOST_FAIL("the bot did not get there in time; it sent:\n" << transcript(recorded));
    }
  }
}

std::string BotWorld::message(long long update_id, long long user_id, const std::string& text,
                              const std::string& language, const std::string& chat_type, long long chat_id,
                              const std::string& extra_message_fields) {
  Poco::JSON::Object::Ptr chat = new Poco::JSON::Object;
  chat->set("id", chat_id != 0 ? chat_id : user_id);
  chat->set("type", chat_type);
  Poco::JSON::Object::Ptr message = new Poco::JSON::Object;
  message->set("message_id", update_id * 10);
  message->set("from", user(user_id, language));
  message->set("chat", chat);
  message->set("date", 1764400000);
  message->set("text", text);
  std::string body = stringify(message);
  if (!extra_message_fields.empty())
    body = body.substr(0, body.size() - 1) + "," + extra_message_fields + "}";
  return "[{\"update_id\":" + std::to_string(update_id) + ",\"message\":" + body + "}]";
}

std::string BotWorld::callback(long long update_id, long long user_id, const std::string& data,
                               const std::string& callback_id, const std::string& chat_type) {
  Poco::JSON::Object::Ptr chat = new Poco::JSON::Object;
  chat->set("id", user_id);
  chat->set("type", chat_type);
  Poco::JSON::Object::Ptr carrier = new Poco::JSON::Object;
  carrier->set("message_id", 1);
  carrier->set("chat", chat);
  carrier->set("date", 1764400000);
  Poco::JSON::Object::Ptr query = new Poco::JSON::Object;
  query->set("id", callback_id);
  query->set("from", user(user_id, "en"));
  query->set("message", carrier);
  query->set("chat_instance", "42");
  query->set("data", data);
  Poco::JSON::Object::Ptr update = new Poco::JSON::Object;
  update->set("update_id", update_id);
  update->set("callback_query", query);
  return "[" + stringify(update) + "]";
}

std::vector<Request> BotWorld::telegram_requests() {
  RequestFilter filter;
  filter.channel = "telegram";
  auto listed = requests->list(filter);
  if (!listed) throw std::runtime_error(listed.error());
  return *listed;
}

RunOutcome BotWorld::approve_and_run(const std::string& request_id) {
  if (Status s = requests->approve(request_id, "olga", "identity proven by Telegram"); !s) {
    throw std::runtime_error(s.error());
  }
  WorkerIdentity worker = this_worker();
  worker.name = "worker:test";
  RequestRunner runner({config, *db, key, clock, registry, identities, worker, "test"});
  auto outcome = runner.run(request_id);
  if (!outcome) throw std::runtime_error(outcome.error());
  if (outcome->status != RequestStatus::completed)
    throw std::runtime_error("run failed: " + outcome->failure);
  return *outcome;
}

std::string BotWorld::transcript(const std::vector<Call>& calls, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < calls.size(); ++i) {
    const Call& c = calls[i];
    if (c.method == "getUpdates" || c.method == "getMe" || c.answered != 200) continue;
    if (c.method == "sendMessage") {
      out += "bot > " + c.text + "\n";
      if (!c.labels.empty()) {
        out += "     ";
        for (const auto& label : c.labels) out += " [" + label + "]";
        out += "\n";
      }
    } else if (c.method == "sendDocument") {
      out +=
          "bot > (document " + c.file_name + (c.protect_content ? ", protected" : "") + ") " + c.text + "\n";
    } else if (c.method == "answerCallbackQuery") {
      out += "bot > (answers the button: " + c.text + ")\n";
    } else {
      out += "bot > (" + c.method + ")\n";
    }
  }
  return out;
}

}  // namespace dsr::test
