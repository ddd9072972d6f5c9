#include "dsr/telegram/code_mailer.h"

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>

namespace dsr::telegram {

Status SmtpCodeMailer::send(const std::string& to, const std::string& subject, const std::string& body) {
  try {
    Poco::Net::MailMessage message;
    message.setSender(settings_.sender);
    message.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, to));
    message.setSubject(Poco::Net::MailMessage::encodeWord(subject, "UTF-8"));
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    Poco::Net::SMTPClientSession session(settings_.host, static_cast<Poco::UInt16>(settings_.port));
    session.login();
    session.sendMessage(message);
    session.close();
  } catch (const Poco::Exception& e) {
    // The server's reply may quote the recipient: only the kind of failure is kept.
    return fail("smtp " + settings_.host + ":" + std::to_string(settings_.port) + ": " + e.className());
  }
  return Status::Ok();
}

}  // namespace dsr::telegram
