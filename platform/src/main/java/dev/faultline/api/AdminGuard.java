package dev.faultline.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * In front of every route of the admin port (API, dashboard, {@code /metrics}, the event-bus
 * bridge): only requests meant for this server, from its own pages or from clients that are no
 * web page at all. A browser tells which page sent a request; any other page is refused, so a site
 * the user visits can neither drive the admin API nor read it (the live log included).
 *
 * <ul>
 *   <li>{@code Host} must be one of {@link AllowedHosts} (421): shuts out DNS rebinding.</li>
 *   <li>{@code Origin}, when sent, must be this server as the request reached it (403). Browsers send
 *       it with every cross-origin request, every POST and every WebSocket handshake; curl and
 *       services send none and are served.</li>
 *   <li>{@code Sec-Fetch-Site} {@code cross-site} or {@code same-site} (403), except a top-level
 *       page load: a link to the dashboard from elsewhere still opens it.</li>
 * </ul>
 */
final class AdminGuard implements Handler<RoutingContext> {

  private final AllowedHosts hosts;

  AdminGuard(AllowedHosts hosts) {
    this.hosts = hosts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (authority == null || !hosts.allows(authority.host(), localAddress(request))) {
      String named = authority == null ? "none" : "'" + authority.host() + "'";
      Responses.error(ctx, 421, "Host", "Host: " + named + " is not a name this admin server answers to (it answers "
          + String.join(", ", hosts.names()) + " and the address it was reached on); add the name to "
          + "admin.allowed_hosts (FAULTLINE_ADMIN_ALLOWED_HOSTS)");
      return;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !sameOrigin(origin, authority)) {
      String self = authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
      Responses.error(ctx, 403, "Origin", "Origin: '" + origin + "' is not this server (" + self + "); the admin "
          + "API serves its own dashboard and clients that send no Origin, not other web pages");
      return;
    }
    String site = request.getHeader("Sec-Fetch-Site");
    if (("cross-site".equalsIgnoreCase(site) || "same-site".equalsIgnoreCase(site)) && !pageLoad(request)) {
      Responses.error(ctx, 403, "Sec-Fetch-Site", "Sec-Fetch-Site: " + site + ": a request from another site's "
          + "page is refused; open the dashboard itself");
      return;
    }
    ctx.next();
  }

  /**
   * Whether {@code origin} is the server the request reached: the same host and port. Either
   * scheme: behind a proxy that ends TLS the page is https while this server hears http.
   */
  static boolean sameOrigin(String origin, HostAndPort authority) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawPath() != null
        && !uri.getRawPath().isEmpty()) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int originPort = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
    int hostPort = authority.port() >= 0 ? authority.port() : defaultPort;
    return originPort == hostPort
        && AllowedHosts.normalize(uri.getHost()).equals(AllowedHosts.normalize(authority.host()));
  }

  /** A top-level page load: what a link from anywhere does, and what cannot read the answer for its page. */
  private static boolean pageLoad(HttpServerRequest request) {
    return (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD)
        && "navigate".equalsIgnoreCase(request.getHeader("Sec-Fetch-Mode"))
        && "document".equalsIgnoreCase(request.getHeader("Sec-Fetch-Dest"));
  }

  private static String localAddress(HttpServerRequest request) {
    SocketAddress local = request.localAddress();
    return local == null ? null : local.hostAddress();
  }
}
