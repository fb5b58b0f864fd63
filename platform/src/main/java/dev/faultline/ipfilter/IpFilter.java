package dev.faultline.ipfilter;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.proxy.request.AcceptCheck;
import dev.faultline.proxy.request.AcceptCheckFactory;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.ProxyError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides at accept, before the body is read, whether the caller may use the proxy, and records
 * who the caller is for the log. A refused caller gets OpenAI's 403 shape, and the exchange is
 * logged like any other.
 */
public final class IpFilter implements AcceptCheck {

  private final IpAccess access;
  private final List<IpRule> trustedProxies;

  IpFilter(IpAccess access, List<IpRule> trustedProxies) {
    this.access = access;
    this.trustedProxies = trustedProxies;
  }

  /**
   * The IP filter of each proxy (from its {@code ip} block).
   *
   * @param trustedProxies addresses whose {@code X-Forwarded-For} / {@code Forwarded} headers are
   *                       believed (setting {@code proxies.trusted_proxies})
   */
  public static AcceptCheckFactory factory(List<IpRule> trustedProxies) {
    List<IpRule> trusted = List.copyOf(trustedProxies);
    return (proxy, provider) -> {
      IpAccess access = IpAccess.from(proxy.block(IpAccess.NAME));
      return access.isEmpty() && trusted.isEmpty() ? Optional.empty() : Optional.of(new IpFilter(access, trusted));
    };
  }

  @Override
  public void admit(Exchange exchange) {
    HttpServerRequest http = exchange.http();
    SocketAddress peer = http.remoteAddress();
    if (peer == null || peer.hostAddress() == null) {
      return;
    }
    ClientAddress client = ClientAddress.resolve(peer.hostAddress(), http.headers().getAll("forwarded"),
        http.headers().getAll("x-forwarded-for"), trustedProxies);
    exchange.clientIp(client.text());
    if (!access.allows(client.bytes())) {
      throw new ProxyError(new ApiError(403, "request_forbidden", "ip_not_allowed",
          "Your IP address " + client.text() + " is not allowed to use this proxy.", null, Headers.empty()));
    }
  }
}
