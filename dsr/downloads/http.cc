#include "dsr/downloads/http.h"

#include <Poco/File.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <fstream>

#include "dsr/audit/audit_log.h"
#include "dsr/downloads/links.h"
#include "dsr/http/request_path.h"
#include "dsr/state/request_store.h"

namespace dsr::downloads {

namespace {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::string_view kPrefix = "/download/";

bool is_token(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void send_text(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& text) {
  response.setStatus(status);
  response.setContentType("text/plain; charset=utf-8");
  response.set("Cache-Control", "no-store");
  response.setContentLength(static_cast<std::streamsize>(text.size() + 1));
  response.send() << text << "\n";
}

enum class Verdict { unknown, gone, serve };

class DownloadHandler : public Poco::Net::HTTPRequestHandler {
 public:
  DownloadHandler(std::string token, const HttpContext& context) : token_(std::move(token)), context_(context) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    // The token in the URL must not leak through a Referer or a cache.
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
      response.set("Allow", "GET, HEAD");
      send_text(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "method not allowed");
      return;
    }
    if (!is_token(token_)) {
      send_text(response, HTTPResponse::HTTP_NOT_FOUND, "no such download");
      return;
    }
    try {
      serve(request, response);
    } catch (const std::exception&) {
      // The message may name paths; the client learns only that it failed.
      if (!response.sent()) send_text(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "download failed");
    }
  }

 private:
  // What one attempt found, decided and audited in one transaction. The connection is
  // given back before the file is streamed, so a slow client never holds a pooled one.
  struct Decision {
    Verdict verdict = Verdict::unknown;
    bool store_failed = false;
    std::string request_id;
    std::ifstream file;
    std::uint64_t size = 0;
  };

  void serve(HTTPServerRequest& request, HTTPServerResponse& response) {
    const bool head = request.getMethod() == "HEAD";
    Decision decision;
    if (!http::with_store(context_.lend_database, context_.open_database,
                          [&](Database& database) { decide(database, head, decision); })) {
      send_text(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "state store unavailable");
      return;
    }
    if (decision.store_failed) {
      send_text(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "download failed; try again");
      return;
    }
    if (decision.verdict == Verdict::unknown) {
      send_text(response, HTTPResponse::HTTP_NOT_FOUND, "no such download");
      return;
    }
    if (decision.verdict == Verdict::gone) {
      send_text(response, HTTPResponse::HTTP_GONE, "this download link has expired or was already used");
      return;
    }
    response.setStatus(HTTPResponse::HTTP_OK);
    response.setContentType("application/zip");
    response.set("Content-Disposition", "attachment; filename=\"dsr-export-" + decision.request_id + ".zip\"");
    response.set("Cache-Control", "no-store");
    response.setContentLength64(static_cast<Poco::UInt64>(decision.size));
    std::ostream& out = response.send();
    if (!head) Poco::StreamCopier::copyStream64(decision.file, out);
  }

  void decide(Database& database, bool head, Decision& decision) {
    Status done = database.in_transaction([&]() -> Status {
      decision.verdict = Verdict::unknown;
      const std::string hash = token_hash(token_);
      std::string link_id, expires, used_at;
      long long single_use = 0, downloads = 0;
      soci::indicator used = soci::i_null;
      const std::string lock = database.engine() == StoreEngine::mysql ? " FOR UPDATE" : "";
      database.session() << "SELECT link_id, request_id, expires_at, single_use, used_at, downloads"
                            " FROM download_links WHERE token_hash = :hash" + lock,
          soci::into(link_id), soci::into(decision.request_id), soci::into(expires), soci::into(single_use),
          soci::into(used_at, used), soci::into(downloads), soci::use(hash);
      if (!database.session().got_data()) return Status::Ok();

      const TimePoint now = context_.clock.now();
      std::string refusal;
      auto expires_at = parse_utc(expires);
      if (!expires_at || *expires_at <= now) {
        refusal = "expired";
      } else if (single_use != 0 && used == soci::i_ok) {
        refusal = "used";
      } else {
        const std::string path = export_file(context_.config, decision.request_id);
        decision.file.open(path, std::ios::binary);
        if (!decision.file) {
          refusal = "export_missing";
        } else {
          decision.size = Poco::File(path).getSize();
        }
      }
      const auto found = RequestStore(database).find(decision.request_id);
      Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
      detail->set("link", link_id.substr(0, 16));
      AuditEvent event{"download.served", "download", decision.request_id, found ? found->subject : "", detail};
      if (!refusal.empty()) {
        decision.verdict = Verdict::gone;
        event.action = "download.refused";
        detail->set("reason", refusal);
        return AuditLog(database, context_.key, context_.clock).append(event);
      }
      decision.verdict = Verdict::serve;
      detail->set("bytes", static_cast<Poco::UInt64>(decision.size));
      detail->set("method", std::string(head ? "HEAD" : "GET"));
      // HEAD does not use up a single-use link: it carries no content.
      if (!head) {
        const std::string at = format_utc(now);
        database.session() << "UPDATE download_links SET downloads = downloads + 1, used_at = :at WHERE link_id = :id",
            soci::use(at), soci::use(link_id);
        detail->set("download", static_cast<Poco::Int64>(downloads + 1));
      }
      return AuditLog(database, context_.key, context_.clock).append(event);
    });
    decision.store_failed = !done;
  }

  std::string token_;
  const HttpContext& context_;
};

}  // namespace

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_download_handler(const Poco::Net::HTTPServerRequest& request,
                                                                     const HttpContext& context) {
  auto path = http::path_under(request, kPrefix);
  if (!path) return nullptr;
  return std::make_unique<DownloadHandler>(path->substr(kPrefix.size()), context);
}

}  // namespace dsr::downloads
