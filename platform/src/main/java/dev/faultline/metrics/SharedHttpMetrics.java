package dev.faultline.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * vertx-micrometer's metrics, with one HTTP server metrics object for every server, one HTTP
 * client metrics object per client name and local address, and one database client metrics object
 * per database, instead of one per server, client and pool.
 *
 * <p>Each proxy runs a server and an upstream client on each of its event loops, and
 * vertx-micrometer makes for each of them a copy of its whole naming table (some eighty strings)
 * and a set of meter builders: 11 of the 29 KB a proxy kept on the heap. Those objects hold no
 * state of their own server or client: the series they count are looked up in the registry by
 * name and tags, and a server's differ from another's only by the address it listens on when the
 * {@code local} label is on (it is not, by default); a client's by its metrics name and local
 * address. Those are the memo's keys. Everything with state (a connection's, a pool's) is still
 * made per call by the very same vertx-micrometer objects, untouched. Closing a server or client
 * closes nothing of vertx-micrometer's (their metrics keep no resources), so sharing them
 * outlives none.
 *
 * <p>A request's series are counted by {@link LeanHttpMetrics}, wrapped around the shared objects
 * (the memo keeps the wrapper), when the options have vertx-micrometer's default labels and
 * naming: the same series, on meters found once rather than for every request. Otherwise
 * vertx-micrometer counts them too.
 */
final class SharedHttpMetrics implements VertxMetricsFactory {

  private final VertxMetricsFactory micrometer;

  SharedHttpMetrics(VertxMetricsFactory micrometer) {
    this.micrometer = micrometer;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    MicrometerMetricsOptions read = micrometerOptions(options);
    VertxMetrics metrics = micrometer.metrics(options);
    // After vertx-micrometer's factory: the registry the lean counting uses is the one it found.
    return new Shared(metrics, read.getLabels().contains(Label.LOCAL), LeanHttpMetrics.of(read));
  }

  /** The options as vertx-micrometer's factory reads them: other metrics options count as its defaults. */
  private static MicrometerMetricsOptions micrometerOptions(VertxOptions options) {
    if (options.getMetricsOptions() instanceof MicrometerMetricsOptions micrometerOptions) {
      return micrometerOptions;
    }
    return options.getMetricsOptions() == null ? new MicrometerMetricsOptions()
        : new MicrometerMetricsOptions(options.getMetricsOptions().toJson());
  }

  @Override
  public MetricsOptions newOptions() {
    return micrometer.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return micrometer.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return micrometer.newOptions(json);
  }

  /** A server's metrics are told apart by the address it listens on, but only with the {@code local} label on. */
  private record ServerKey(SocketAddress localAddress) {
  }

  /** A client's metrics are told apart by its metrics name and local address (the {@code name} and {@code local} labels). */
  private record ClientKey(String metricsName, String localAddress) {
  }

  /** Another client's (a database pool's): vertx-micrometer's {@code remote}, type and {@code namespace}. */
  private record OtherClientKey(SocketAddress remoteAddress, String type, String namespace) {
  }

  /** Stands for "no metrics" (a disabled category) in the memo, which holds no null. */
  private static final Object NONE = new Object();

  private static final class Shared implements VertxMetrics {
    private final VertxMetrics metrics;
    private final boolean localLabel;
    /** {@code null}: vertx-micrometer counts the requests too (labels or naming other than its defaults). */
    private final LeanHttpMetrics lean;
    private final Map<Object, Object> made = new ConcurrentHashMap<>();

    Shared(VertxMetrics metrics, boolean localLabel, LeanHttpMetrics lean) {
      this.metrics = metrics;
      this.localLabel = localLabel;
      this.lean = lean;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      return (HttpServerMetrics<?, ?, ?>) once(new ServerKey(localLabel ? localAddress : null), () -> {
        HttpServerMetrics<?, ?, ?> server = metrics.createHttpServerMetrics(options, localAddress);
        return lean == null ? server : lean.server(server);
      });
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return (HttpClientMetrics<?, ?, ?>) once(new ClientKey(options.getMetricsName(), options.getLocalAddress()), () -> {
        HttpClientMetrics<?, ?, ?> client = metrics.createHttpClientMetrics(options);
        return lean == null ? client : lean.client(client);
      });
    }

    private Object once(Object key, Supplier<Object> make) {
      Object shared = made.computeIfAbsent(key, k -> Objects.requireNonNullElse(make.get(), NONE));
      return shared == NONE ? null : shared;
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
      return metrics.createEventBusMetrics();
    }

    /**
     * Also one per database address, type and namespace: the cache's own pool and the shared one
     * count into the same series, and the second registered its gauge again, which Micrometer
     * warned of at every start.
     */
    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return (ClientMetrics<?, ?, ?>) once(new OtherClientKey(remoteAddress, type, namespace),
          () -> metrics.createClientMetrics(remoteAddress, type, namespace));
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return metrics.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return metrics.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return metrics.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
      return metrics.createPoolMetrics(poolType, poolName, maxPoolSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      metrics.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return metrics.isMetricsEnabled();
    }

    @Override
    public void close() {
      metrics.close();
    }
  }
}
