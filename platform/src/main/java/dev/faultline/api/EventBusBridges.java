package dev.faultline.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus as seen from outside: the addresses the features publish on, outbound only. Browsers reach it
 * through SockJS at {@code /eventbus}; services in any language through the TCP bridge (frames
 * of a 4-byte big-endian length and a JSON object), when a port is configured. Nothing may be
 * sent in: every inbound message is refused.
 */
public final class EventBusBridges {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridges.class);

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
    return router -> {
      SockJSBridgeOptions options = new SockJSBridgeOptions();
      outbound.forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
      router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options));
    };
  }

  /** The TCP bridge on {@code host:port}; closed when the verticle is undeployed. */
  public static final class TcpBridgeVerticle extends VerticleBase {

    private final String host;
    private final int port;
    private final List<String> outbound;
    private TcpEventBusBridge bridge;

    /** @param outbound the addresses a subscriber may receive */
    public TcpBridgeVerticle(String host, int port, List<String> outbound) {
      this.host = host;
      this.port = port;
      this.outbound = List.copyOf(outbound);
    }

    @Override
    public Future<?> start() {
      BridgeOptions options = new BridgeOptions();
      outbound.forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
      bridge = TcpEventBusBridge.create(vertx, options);
      return bridge.listen(port, host).onSuccess(b ->
        LOG.info("TCP event-bus bridge on {}:{} (outbound: {})", host, port, String.join(", ", outbound)));
    }

    @Override
    public Future<?> stop() {
      return bridge.close();
    }
  }
}
