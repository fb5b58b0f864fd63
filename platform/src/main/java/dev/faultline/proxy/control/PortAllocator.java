package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntSupplier;

/** Picks a port for a proxy created without one: the first of the range that no proxy has and that binds. */
final class PortAllocator {

  private final Vertx vertx;
  private final ProxyManager.Settings settings;
  private final IntSupplier adminPort;

  PortAllocator(Vertx vertx, ProxyManager.Settings settings, IntSupplier adminPort) {
    this.vertx = vertx;
    this.settings = settings;
    this.adminPort = adminPort;
  }

  /**
   * @param taken the ports proxies have in a range (from the store: only the numbers are read,
   *              however many proxies there are)
   * @param claim binds the placed proxy (a running one is started on it); a port conflict moves
   *              on to the next port, any other failure ends the search
   */
  Future<ProxyDefinition> place(ProxyDefinition proxy, BiFunction<Integer, Integer, Future<Set<Integer>>> taken,
                                Function<ProxyDefinition, Future<Void>> claim) {
    return taken.apply(settings.portRangeFrom(), settings.portRangeTo())
        .compose(ports -> tryFrom(settings.portRangeFrom(), proxy, ports, claim));
  }

  /** Whether a stopped proxy could bind {@code port} now. */
  Future<Void> probe(int port) {
    return vertx.executeBlocking(() -> {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(settings.host()))) {
        return null;
      } catch (BindException e) {
        throw ProxyException.conflict("port", port + " is already in use by another program");
      }
    });
  }

  private Future<ProxyDefinition> tryFrom(int port, ProxyDefinition proxy, Set<Integer> taken,
                                          Function<ProxyDefinition, Future<Void>> claim) {
    while (port <= settings.portRangeTo() && (port == adminPort.getAsInt() || taken.contains(port))) {
      port++;
    }
    if (port > settings.portRangeTo()) {
      return Future.failedFuture(ProxyException.conflict("port", "no free port left in the range "
          + settings.portRangeFrom() + "-" + settings.portRangeTo() + " (setting proxies.port_range)"));
    }
    int candidate = port;
    ProxyDefinition placed = proxy.withPort(candidate);
    return claim.apply(placed).map(placed).recover(e -> StartFailures.isPortConflict(e)
        ? tryFrom(candidate + 1, proxy, taken, claim) : Future.failedFuture(e));
  }
}
