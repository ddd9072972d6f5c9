#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>

#include "dsr/mail/mail_sender.h"
#include "dsr/mail/tls.h"

namespace dsr::mail {

namespace {

class SmtpSender : public MailSender {
 public:
  explicit SmtpSender(const MailConfig& config)
      : config_(config), server_(config.smtp.host + ":" + std::to_string(config.smtp.port)) {}

  ~SmtpSender() override {
    if (!session_) return;
    try {
      session_->close();
    } catch (const Poco::Exception&) {
      // Every mail was handed over already; a failing QUIT loses nothing.
    }
  }

  Status send(const OutgoingMail& mail) override {
    if (!session_) {
      if (Status s = connect(); !s) return s;
    }
    try {
      Poco::Net::MailMessage message;
      message.setSender(sender_header());
      message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
      message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
      message.setDate(Poco::Timestamp());
      message.set("Message-ID", "<" + mail.message_id + ">");
      message.set("Auto-Submitted", mail.auto_submitted);
      message.set("X-Auto-Response-Suppress", "All");
      message.setContentType("text/plain; charset=UTF-8");
      message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
      // Envelope: MAIL FROM is dsr's address, RCPT TO only the recorded address.
      Poco::Net::SMTPClientSession::Recipients envelope{mail.to};
      session_->sendMessage(message, envelope);
      return Status::Ok();
    } catch (const Poco::Exception& e) {
      drop();
      return fail("SMTP " + server_ + ": sending failed: " + e.displayText());
    }
  }

 private:
  std::string sender_header() const {
    if (config_.from_name.empty()) return config_.from_address;
    return Poco::Net::MailMessage::encodeWord(config_.from_name, "UTF-8") + " <" + config_.from_address + ">";
  }

  Status connect() {
    const Poco::Timespan timeout(config_.smtp.timeout_seconds, 0);
    try {
      // Built from the host name, which STARTTLS checks the certificate against.
      auto session = std::make_unique<Poco::Net::SecureSMTPClientSession>(
          config_.smtp.host, static_cast<Poco::UInt16>(config_.smtp.port));
      session->setTimeout(timeout);
      const std::string helo = helo_name();
      session->login(helo);
      if (config_.smtp.starttls) {
        if (!session->startTLS(client_tls_context(config_.ca_file))) {
          return fail("SMTP " + server_ + ": the server does not offer STARTTLS, which the config requires");
        }
        // The extensions offered before TLS no longer count.
        if (config_.smtp.user.empty()) session->login(helo);
      }
      if (!config_.smtp.user.empty()) {
        session->login(helo, Poco::Net::SMTPClientSession::AUTH_LOGIN, config_.smtp.user,
                       config_.smtp.password);
      }
      session_ = std::move(session);
      return Status::Ok();
    } catch (const Poco::Exception& e) {
      return fail("SMTP " + server_ + ": cannot open a session: " + e.displayText());
    }
  }

  std::string helo_name() const {
    const auto at = config_.from_address.find('@');
    return at == std::string::npos ? "localhost" : config_.from_address.substr(at + 1);
  }

  void drop() {
    try {
      if (session_) session_->close();
    } catch (const Poco::Exception&) {
      // The connection is already broken; a new one is opened for the next mail.
    }
    session_.reset();
  }

  const MailConfig& config_;
  std::string server_;
  std::unique_ptr<Poco::Net::SecureSMTPClientSession> session_;
};

}  // namespace

std::unique_ptr<MailSender> make_smtp_sender(const MailConfig& config) {
  return std::make_unique<SmtpSender>(config);
}

}  // namespace dsr::mail
