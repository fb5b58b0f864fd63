package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Function;
import java.util.function.IntSupplier;

/** Picks a port for a proxy created without one: the first of the range that no proxy has and that binds. */
final class PortAllocator {

  private final Vertx vertx;
  private final ProxyManager.Settings settings;
  private final IntSupplier adminPort;
  /** The lowest port from the given one on that no proxy has (the store's one-row lookup). */
  private final Function<Integer, Future<Integer>> firstFree;
  /**
   * Gives a placed proxy its port and stores it (a running one is started on it); a port conflict,
   * with another program or another proxy, moves the search on to the next port, any other failure
   * ends it.
   */
  private final Function<ProxyDefinition, Future<Void>> claim;
  /**
   * The port tried first, without asking the store: every port of the range below it belongs to
   * a proxy (or is the admin API's, or was busy when tried). From the range's start, the store's
   * lookup walked every proxy above it, so each new proxy cost more than the one before (about
   * 0.2 ms more a lookup at a thousand); from here most creations find their port at once.
   */
  private volatile int lowestUnused;

  PortAllocator(Vertx vertx, ProxyManager.Settings settings, IntSupplier adminPort,
                Function<Integer, Future<Integer>> firstFree, Function<ProxyDefinition, Future<Void>> claim) {
    this.vertx = vertx;
    this.settings = settings;
    this.adminPort = adminPort;
    this.firstFree = firstFree;
    this.claim = claim;
    this.lowestUnused = settings.portRangeFrom();
  }

  /**
   * Places {@code proxy} on the lowest unused port as far as this node knows; when that one is
   * taken after all, on the lowest port from there that no proxy has, as the store says.
   */
  Future<ProxyDefinition> place(ProxyDefinition proxy) {
    if (lowestUnused > settings.portRangeTo()) {
      // Full as far as this node knows; another node may have freed a port it has not heard of yet.
      return tryFrom(settings.portRangeFrom(), proxy);
    }
    return tryPort(lowestUnused, proxy);
  }

  /** A new proxy was stored on {@code port}: when it was the candidate, the next one is the port after. */
  void taken(int port) {
    if (port == lowestUnused) {
      lowestUnused = port + 1;
    }
  }

  /** A proxy left {@code port} (deleted, or moved): one of the range is the first one handed out again. */
  void freed(int port) {
    if (port >= settings.portRangeFrom() && port <= settings.portRangeTo()) {
      lowestUnused = Math.min(lowestUnused, port);
    }
  }

  /** Another node changed the proxies: any port of the range may have been freed. */
  void forgetUsed() {
    lowestUnused = settings.portRangeFrom();
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

  private Future<ProxyDefinition> tryFrom(int from, ProxyDefinition proxy) {
    if (from > settings.portRangeTo()) {
      return noneLeft();
    }
    return firstFree.apply(from).compose(port -> {
      if (port != null && from == lowestUnused) {
        lowestUnused = port;
      }
      return tryPort(port, proxy);
    });
  }

  /** Claims {@code port}, the first one from some port on that no proxy has ({@code null}: none). */
  private Future<ProxyDefinition> tryPort(Integer port, ProxyDefinition proxy) {
    if (port == null || port > settings.portRangeTo()) {
      return noneLeft();
    }
    if (port == adminPort.getAsInt()) {
      if (port == lowestUnused) {
        lowestUnused = port + 1;
      }
      return tryFrom(port + 1, proxy);
    }
    ProxyDefinition placed = proxy.withPort(port);
    return claim.apply(placed).map(placed).recover(e -> {
      if (!StartFailures.isPortConflict(e)) {
        return Future.failedFuture(e);
      }
      if (port == lowestUnused) {
        lowestUnused = port + 1;
      }
      return tryFrom(port + 1, proxy);
    });
  }

  private Future<ProxyDefinition> noneLeft() {
    return Future.failedFuture(ProxyException.conflict("port", "no free port left in the range "
        + settings.portRangeFrom() + "-" + settings.portRangeTo() + " (setting proxies.port_range)"));
  }
}
