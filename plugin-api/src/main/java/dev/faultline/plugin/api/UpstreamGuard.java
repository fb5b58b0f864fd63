package dev.faultline.plugin.api;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/**
 * Where a provider may send a caller's request, decided by the host for one proxy. An upstream
 * is where the caller's API key goes, so the host refuses addresses nobody should reach through
 * a proxy (cloud metadata, link-local) and, depending on the proxy's owner, loopback and private
 * networks. The upstream URL was checked when the proxy was saved; a name can resolve elsewhere
 * later (DNS rebinding), so a provider that connects to its upstream resolves the host through
 * this guard on every connection and connects to the address it gives, never to the name:
 *
 * <pre>{@code
 * guard.resolve(host, port).compose(address -> client.request(new RequestOptions()
 *     .setServer(address)          // the checked address: no second lookup
 *     .setHost(host).setPort(port) // the name still goes in Host and in TLS (SNI, certificate)
 *     ...));
 * }</pre>
 *
 * <p>Resolution runs off the event loop. A refused address fails the future with an
 * {@link UpstreamRefusedException}, which the host answers the caller with (and logs).
 *
 * @since plugin API 0.1.0 (added during 0.1.0's development; {@link ProviderContext#guard()}
 *     has a default, so hosts and test contexts written before it keep working)
 */
public interface UpstreamGuard {

  /**
   * The address to connect to for {@code host} (a name or an IP literal, IPv6 with or without
   * brackets) on {@code port}: resolved, checked, and given as an IP address.
   */
  Future<SocketAddress> resolve(String host, int port);

  /**
   * A guard that checks nothing and leaves resolution to the connection: what a
   * {@link ProviderContext} without a host-made guard gives (a test's own context).
   */
  static UpstreamGuard unchecked() {
    return (host, port) -> Future.succeededFuture(SocketAddress.inetSocketAddress(port, host));
  }
}
