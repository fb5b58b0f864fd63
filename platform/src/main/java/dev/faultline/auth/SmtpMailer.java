package dev.faultline.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Locale;

/** Sends the account mails through the SMTP server of {@code auth.smtp}. */
final class SmtpMailer implements Mailer {

  /** A server that does not answer fails the send within this, not after the OS's minutes. */
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final MailClient client;
  private final String from;

  SmtpMailer(Vertx vertx, AuthSettings.Smtp smtp) {
    this.client = MailClient.create(vertx, config(smtp));
    this.from = smtp.from();
  }

  static MailConfig config(AuthSettings.Smtp smtp) {
    boolean credentials = smtp.username() != null && !smtp.username().isEmpty();
    return new MailConfig()
        .setHostname(smtp.host())
        .setPort(smtp.port())
        .setSsl(smtp.ssl())
        .setStarttls(starttls(smtp.starttls()))
        // With a user name, signing in is required: a server that offers no AUTH must not get the
        // mail unauthenticated. Without one, never try.
        .setLogin(credentials ? LoginOption.REQUIRED : LoginOption.DISABLED)
        .setUsername(credentials ? smtp.username() : null)
        .setPassword(credentials ? smtp.password() : null)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
        // Account mails are rare: no pooled connection outlives a send (nor Faultline's stop).
        .setKeepAlive(false);
  }

  /** {@code required}, {@code optional} or {@code disabled} (also the config's check); {@code null}: optional. */
  static StartTLSOptions starttls(String value) {
    if (value == null || value.isBlank()) {
      return StartTLSOptions.OPTIONAL;
    }
    try {
      return StartTLSOptions.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("must be required, optional or disabled");
    }
  }

  @Override
  public Future<Void> send(String to, String subject, String text) {
    return client.sendMail(new MailMessage().setFrom(from).setTo(to).setSubject(subject).setText(text)).mapEmpty();
  }
}
