#include "dsr/opendsr/callbacks.h"

#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

#include "dsr/opendsr/processor_key.h"
#include "dsr/opendsr/settings.h"

namespace dsr::opendsr {

namespace {

constexpr int kMaxRetryMinutes = 24 * 60;

struct Row {
  long long id = 0;
  std::string controller_id;
  std::string subject_request_id;
  std::string url;
  std::string delivered_status;
  long long attempts = 0;
};

// opendsr_status() as SQL, built from it so the two cannot disagree.
std::string status_case(const std::string& column) {
  std::string sql = "(CASE " + column;
  for (RequestStatus status : {RequestStatus::received, RequestStatus::awaiting_verification,
                               RequestStatus::pending_approval, RequestStatus::approved, RequestStatus::running,
                               RequestStatus::completed, RequestStatus::failed, RequestStatus::rejected,
                               RequestStatus::cancelled}) {
    sql += " WHEN '" + std::string(to_string(status)) + "' THEN '" + opendsr_status(status) + "'";
  }
  return sql + " ELSE 'pending' END)";
}

std::vector<Row> due_rows(Database& db, TimePoint now, std::size_t batch) {
  std::vector<Row> rows;
  const std::string at = format_utc(now);
  const long long limit = static_cast<long long>(batch);
  // Only rows with news: delivered rows of settled requests are never looked at again.
  soci::rowset<soci::row> result =
      (db.session().prepare << "SELECT c.id, c.controller_id, c.subject_request_id, c.url, c.delivered_status,"
                               " c.attempts FROM opendsr_callbacks c"
                               " JOIN opendsr_requests o ON o.controller_id = c.controller_id"
                               "  AND o.subject_request_id = c.subject_request_id"
                               " JOIN requests r ON r.id = o.request_id"
                               " WHERE c.next_attempt_at <= :at AND " + status_case("r.status") +
                                   " <> c.delivered_status"
                               " ORDER BY c.next_attempt_at, c.id LIMIT :limit",
       soci::use(at), soci::use(limit));
  for (const auto& row : result) {
    rows.push_back({column_int(row, 0), column_text(row, 1), column_text(row, 2), column_text(row, 3),
                    column_text(row, 4), column_int(row, 5)});
  }
  return rows;
}

// Posts the body; an empty string means a 2xx answer, otherwise a short reason
// (no URL, no body: the reason is stored and may be shown to officers).
std::string post(const std::string& url, const std::string& body, const std::string& signature,
                 const std::string& processor_domain, std::chrono::seconds timeout) {
  try {
    const Poco::URI uri(url);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") {
      static const Poco::Net::Context::Ptr tls =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED, 9,
                                 true);
      session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), tls);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    session->setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.set("X-OpenDSR-Signature", signature);
    request.set("X-OpenDSR-Processor-Domain", processor_domain);
    session->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& answer = session->receiveResponse(response);
    Poco::NullOutputStream discard;
    Poco::StreamCopier::copyStream(answer, discard);
    const int code = static_cast<int>(response.getStatus());
    if (code >= 200 && code < 300) return "";
    return "HTTP " + std::to_string(code);
  } catch (const Poco::Exception& e) {
    return std::string(e.name());
  } catch (const std::exception&) {
    return "connection failed";
  }
}

}  // namespace

Result<CallbackReport> deliver_pending_callbacks(const ApiEnvironment& env, const CallbackOptions& options) {
  const Settings settings = read_settings(env.config);
  std::vector<Row> rows;
  Status read = env.db.read([&] {
    rows = due_rows(env.db, env.clock.now(), options.batch);
    return Status::Ok();
  });
  if (!read) return read.take_error();
  CallbackReport report;
  if (rows.empty()) return report;
  if (settings.processor_domain.empty()) {
    return fail(env.config.path + ": /opendsr/processor_domain: required to send status callbacks");
  }
  auto key = ProcessorKey::load(settings.private_key_file);
  if (!key) return key.take_error();

  for (const Row& row : rows) {
    auto document = status_document(env, row.controller_id, row.subject_request_id);
    if (!document) return document.take_error();
    if (!*document) continue;  // cannot happen while the foreign key holds
    const std::string status = (*document)->getValue<std::string>("request_status");
    if (status == row.delivered_status) continue;
    (*document)->set("status_callback_url", row.url);
    std::ostringstream text;
    Poco::JSON::Stringifier::condense(*document, text);
    const std::string body = text.str();
    ++report.attempted;
    const std::string problem = post(row.url, body, key->sign(body), settings.processor_domain, options.timeout);
    const TimePoint now = env.clock.now();
    Status saved = env.db.in_transaction([&]() -> Status {
      if (problem.empty()) {
        const std::string at = format_utc(now);
        env.db.session() << "UPDATE opendsr_callbacks SET delivered_status = :status, attempts = 0,"
                            " next_attempt_at = :at, last_error = NULL WHERE id = :id",
            soci::use(status), soci::use(at), soci::use(row.id);
      } else {
        const long long attempts = row.attempts + 1;
        long long minutes = settings.callback_retry_minutes;
        for (long long i = 1; i < attempts && minutes < kMaxRetryMinutes; ++i) minutes *= 2;
        minutes = std::min<long long>(minutes, kMaxRetryMinutes);
        const std::string next = format_utc(now + std::chrono::minutes{minutes});
        const std::string reason = problem.substr(0, 255);
        env.db.session() << "UPDATE opendsr_callbacks SET attempts = :attempts, next_attempt_at = :next,"
                            " last_error = :reason WHERE id = :id",
            soci::use(attempts), soci::use(next), soci::use(reason), soci::use(row.id);
      }
      return Status::Ok();
    });
    if (!saved) return saved.take_error();
    ++(problem.empty() ? report.delivered : report.failed);
  }
  return report;
}

}  // namespace dsr::opendsr
