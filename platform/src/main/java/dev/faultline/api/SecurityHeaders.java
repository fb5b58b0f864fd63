package dev.faultline.api;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every admin answer that keep the browser on our side: no content-type guessing, no
 * framing by another page (clickjacking the dashboard's buttons), and for the dashboard a
 * Content-Security-Policy that runs only the scripts it ships — an injected one, should a log
 * field ever slip through unescaped, neither runs nor sends anything anywhere.
 */
final class SecurityHeaders {

  static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private SecurityHeaders() {
  }

  static void add(RoutingContext ctx) {
    ctx.response().headers()
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Content-Security-Policy", POLICY);
    ctx.next();
  }
}
