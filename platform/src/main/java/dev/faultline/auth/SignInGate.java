package dev.faultline.auth;

import dev.faultline.access.Caller;
import dev.faultline.api.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * In front of every admin route that is not public: who is asking. A browser shows its session
 * cookie; a script or service an {@code Authorization: Bearer} header with a session JWT or an API
 * token ({@code flt_…}). Anything else is a 401, before the route runs and before its body is read.
 *
 * <p>A change made with the cookie must come with the dashboard's own {@code Origin} (which
 * {@code AdminGuard} has already compared with this server): the cookie is {@code SameSite=Strict},
 * and this holds even where a browser would send it anyway. A read-only API token may only read.
 */
final class SignInGate implements Handler<RoutingContext> {

  static final String COOKIE = "faultline_session";
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private final Sessions sessions;
  private final ApiTokens tokens;
  private final AuditTrail audit;

  SignInGate(Sessions sessions, ApiTokens tokens, AuditTrail audit) {
    this.sessions = sessions;
    this.tokens = tokens;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String bearer = bearer(request);
    Cookie cookie = request.getCookie(COOKIE);
    if (bearer == null && cookie == null) {
      Responses.error(ctx, 401, null, "sign in first: send Authorization: Bearer <API token or session token>, "
          + "or sign in on the dashboard");
      return;
    }
    boolean change = !READS.contains(request.method());
    if (bearer == null && change && request.getHeader(HttpHeaders.ORIGIN) == null) {
      Responses.error(ctx, 403, "Origin", "a change made with the dashboard's session cookie must come from the "
          + "dashboard (with its Origin); scripts use Authorization: Bearer");
      return;
    }
    // The body waits, unread, while the credentials are checked.
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    Future<Caller> caller = bearer != null && bearer.startsWith(ApiTokens.PREFIX) ? tokens.check(bearer)
        : sessions.check(bearer != null ? bearer : cookie.getValue());
    caller.onComplete(result -> {
      if (result.failed()) {
        Responses.failure(ctx, result.cause());
      } else if (change && result.result().readOnly()) {
        Responses.error(ctx, 403, null, "this API token is read-only: it may look, not change");
      } else {
        result.result().attach(ctx);
        if (change) {
          audit.recordWhenDone(ctx, result.result());
        }
        if (paused) {
          request.resume();
        }
        ctx.next();
        return;
      }
      if (paused) {
        request.resume();
      }
    });
  }

  private static String bearer(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String value = header.substring(7).trim();
    return value.isEmpty() ? null : value;
  }
}
