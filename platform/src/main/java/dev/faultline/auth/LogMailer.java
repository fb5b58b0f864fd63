package dev.faultline.auth;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With no SMTP server configured (the embedded default): the mail, link included, goes to the log,
 * where the person running Faultline finds it. Whoever can read the log could use the link, which
 * is why an SMTP server is what a shared instance should configure.
 */
final class LogMailer implements Mailer {

  private static final Logger LOG = LoggerFactory.getLogger(LogMailer.class);

  @Override
  public Future<Void> send(String to, String subject, String text) {
    LOG.info("No SMTP server is configured (auth.smtp), so this mail is written here instead.\n  To: {}\n  Subject: {}\n\n{}",
        to, subject, text.indent(2));
    return Future.succeededFuture();
  }
}
