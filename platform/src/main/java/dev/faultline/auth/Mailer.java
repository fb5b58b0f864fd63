package dev.faultline.auth;

import io.vertx.core.Future;

/** Sends the account mails (verification, password reset). */
interface Mailer {

  Future<Void> send(String to, String subject, String text);
}
