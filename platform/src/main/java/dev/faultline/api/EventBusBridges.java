package dev.faultline.api;

import dev.faultline.access.Caller;
import dev.faultline.access.Credentials;
import dev.faultline.access.OwnerAddress;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BaseBridgeEvent;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus as seen from outside: the addresses the features publish on, outbound only, each
 * with its per-owner twins ({@code faultline.log.user.<ownerId>}, see {@link OwnerAddress}). Browsers
 * reach it through SockJS at {@code /eventbus}; services in any language through the TCP bridge
 * (frames of a 4-byte big-endian length and a JSON object), when a port is configured. Nothing may
 * be sent in: every inbound message is refused.
 *
 * <p>Who listens where: an admin on any of these addresses; anyone else only on their own twins.
 * A SockJS socket is the person whose handshake passed the sign-in gate; a TCP connection has no
 * such gate, so each {@code register} frame carries its API token in its headers
 * ({@code "headers": {"authorization": "Bearer flt_…"}}). A registration that cannot be tied to a
 * caller is refused.
 */
public final class EventBusBridges {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridges.class);
  private static final String BEARER = "Bearer ";

  private EventBusBridges() {
  }

  /**
   * The SockJS bridge at {@code /eventbus/*}. On its own it answers every origin (CORS with
   * credentials, {@code "origins":["*:*"]}); on the admin port {@link AdminGuard} stands in front
   * and lets in only this server's own pages and clients that send no Origin. Its single-origin
   * option could not say that: the dashboard is reached as localhost and as 127.0.0.1, on a port
   * known only once bound.
   */
  public static ApiRoutes sockJs(Vertx vertx, List<String> outbound) {
    List<String> bases = List.copyOf(outbound);
    return router -> {
      SockJSBridgeOptions options = new SockJSBridgeOptions();
      permit(bases).forEach(options::addOutboundPermitted);
      router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, event -> {
        if (event.type() == BridgeEventType.REGISTER) {
          event.complete(mayRead(callerOf(event.socket()), address(event), bases));
        } else {
          event.complete(true);
        }
      }));
    };
  }

  /** The caller whose handshake opened {@code socket}; null when there is none (fails closed). */
  private static Caller callerOf(SockJSSocket socket) {
    RoutingContext handshake = socket.routingContext();
    if (handshake == null) {
      return null;
    }
    try {
      return Caller.of(handshake);
    } catch (IllegalStateException notSignedIn) {
      return null;
    }
  }

  /** Each address as it is, and its per-owner twins. */
  private static List<PermittedOptions> permit(List<String> bases) {
    return bases.stream().flatMap(base -> List.of(new PermittedOptions().setAddress(base),
        new PermittedOptions().setAddressRegex(OwnerAddress.anyOwner(base))).stream()).toList();
  }

  /** An admin may read every address offered; anyone else their own twins only. */
  static boolean mayRead(Caller caller, String address, List<String> bases) {
    if (caller == null || address == null) {
      return false;
    }
    if (caller.admin()) {
      return true;
    }
    return bases.stream().anyMatch(base -> OwnerAddress.of(base, caller.userId()).equals(address));
  }

  private static String address(BaseBridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    return frame == null ? null : frame.getString("address");
  }

  /** The TCP bridge on {@code host:port}; closed when the verticle is undeployed. */
  public static final class TcpBridgeVerticle extends VerticleBase {

    private final String host;
    private final int port;
    private final List<String> outbound;
    private final Credentials credentials;
    private TcpEventBusBridge bridge;

    /**
     * @param outbound    the addresses a subscriber may receive (with their per-owner twins)
     * @param credentials who the token a {@code register} frame carries belongs to
     */
    public TcpBridgeVerticle(String host, int port, List<String> outbound, Credentials credentials) {
      this.host = host;
      this.port = port;
      this.outbound = List.copyOf(outbound);
      this.credentials = credentials;
    }

    @Override
    public Future<?> start() {
      BridgeOptions options = new BridgeOptions();
      permit(outbound).forEach(options::addOutboundPermitted);
      bridge = TcpEventBusBridge.create(vertx, options, null, event -> {
        String address = address(event);
        if (event.type() == BridgeEventType.SOCKET_PING) {
          event.complete(true);
        } else if (address == null) {
          // Refused here, before the bridge logs the frame, headers (and token) included.
          event.complete(false);
        } else if (event.type() == BridgeEventType.REGISTER) {
          caller(event.getRawMessage()).onComplete(caller ->
              event.complete(caller.succeeded() && mayRead(caller.result(), address, outbound)));
        } else {
          event.complete(true);
        }
      });
      return bridge.listen(port, host).onSuccess(b ->
        LOG.info("TCP event-bus bridge on {}:{} (outbound: {}, each also per owner)", host, port,
            String.join(", ", outbound)));
    }

    /** The caller the frame's {@code authorization} header signs in as; fails without one. */
    private Future<Caller> caller(JsonObject frame) {
      JsonObject headers = frame.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
      String authorization = headers.getValue("authorization") instanceof String value ? value : null;
      if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return Future.failedFuture("no Bearer token in the frame's headers");
      }
      try {
        return credentials.resolve(authorization.substring(BEARER.length()).trim());
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }

    @Override
    public Future<?> stop() {
      return bridge.close();
    }
  }
}
