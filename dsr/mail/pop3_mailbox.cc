#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/POP3ClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <sstream>

#include "dsr/mail/mailbox.h"
#include "dsr/mail/tls.h"

namespace dsr::mail {

namespace {

class Pop3Mailbox : public Mailbox {
 public:
  Pop3Mailbox(std::unique_ptr<Poco::Net::POP3ClientSession> session, std::string server)
      : session_(std::move(session)), server_(std::move(server)) {}

  Result<std::vector<MailboxEntry>> list() override {
    return guarded<std::vector<MailboxEntry>>("LIST", [&] {
      Poco::Net::POP3ClientSession::MessageInfoVec infos;
      session_->listMessages(infos);
      std::vector<MailboxEntry> out;
      for (const auto& info : infos) out.push_back({info.id, info.size});
      return out;
    });
  }

  Result<std::string> retrieve(int number) override {
    return guarded<std::string>("RETR", [&] {
      std::ostringstream raw;
      session_->retrieveMessage(number, raw);
      return raw.str();
    });
  }

  Result<std::string> message_id(int number) override {
    return guarded<std::string>("TOP", [&] {
      Poco::Net::MessageHeader header;
      header.setFieldLimit(1000);
      session_->retrieveHeader(number, header);
      std::string id = header.get("Message-ID", "");
      if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
      return id;
    });
  }

  Status remove(int number) override {
    auto done = guarded<bool>("DELE", [&] {
      session_->deleteMessage(number);
      return true;
    });
    if (!done) return done.take_error();
    return Status::Ok();
  }

  Status finish() override {
    auto done = guarded<bool>("QUIT", [&] {
      session_->close();
      return true;
    });
    if (!done) return done.take_error();
    return Status::Ok();
  }

 private:
  template <typename T, typename F>
  Result<T> guarded(const char* command, F&& work) {
    try {
      return work();
    } catch (const Poco::Exception& e) {
      return fail("POP3 " + server_ + ": " + command + " failed: " + e.displayText());
    } catch (const std::exception& e) {
      return fail("POP3 " + server_ + ": " + command + " failed: " + e.what());
    }
  }

  std::unique_ptr<Poco::Net::POP3ClientSession> session_;
  std::string server_;
};

}  // namespace

Result<std::unique_ptr<Mailbox>> open_pop3(const Pop3Settings& settings, const std::string& ca_file) {
  const std::string server = settings.host + ":" + std::to_string(settings.port);
  const Poco::Timespan timeout(settings.timeout_seconds, 0);
  std::unique_ptr<Poco::Net::POP3ClientSession> session;
  try {
    const Poco::Net::SocketAddress address(settings.host, static_cast<Poco::UInt16>(settings.port));
    if (settings.tls) {
      Poco::Net::SecureStreamSocket socket(client_tls_context(ca_file));
      socket.setPeerHostName(settings.host);
      socket.connect(address, timeout);
      session = std::make_unique<Poco::Net::POP3ClientSession>(socket);
    } else {
      Poco::Net::StreamSocket socket;
      socket.connect(address, timeout);
      session = std::make_unique<Poco::Net::POP3ClientSession>(socket);
    }
    session->setTimeout(timeout);
  } catch (const Poco::Exception& e) {
    return fail("POP3 " + server + ": cannot connect: " + e.displayText());
  }
  try {
    session->login(settings.user, settings.password);
  } catch (const Poco::Exception& e) {
    // Poco's message quotes the server's answer, never what we sent.
    return fail("POP3 " + server + ": login refused: " + e.displayText());
  }
  return std::unique_ptr<Mailbox>(std::make_unique<Pop3Mailbox>(std::move(session), server));
}

}  // namespace dsr::mail
