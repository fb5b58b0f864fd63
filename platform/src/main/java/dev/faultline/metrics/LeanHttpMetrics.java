package dev.faultline.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Vert.x's per-request HTTP metrics, the series vertx-micrometer 5.0 makes with its default labels
 * ({@code vertx_http_server_*} and {@code vertx_http_client_*}: requests, response time, request
 * and response bytes, active requests, resets, by {@code method} and {@code code}; same names,
 * labels, help text and counts), on meters looked up once per method and status: vertx-micrometer
 * builds tags and asks the registry for every meter of every request, about 7% of a proxied
 * request's CPU. Connections, bytes on the wire and websockets stay vertx-micrometer's own: its
 * server and client metrics objects are wrapped, and only their request hooks are replaced.
 *
 * <p>Only for the default labels and naming and without custom tags ({@link #of} says
 * {@code null} otherwise, and vertx-micrometer counts on its own): a {@code local}, {@code remote},
 * {@code path}, {@code route} or {@code client_name} label would split these series further. Label
 * matches ({@code MicrometerMetricsOptions.addLabelMatch}) need nothing here: they are filters of
 * the registry, which every meter registered here goes through too.
 */
final class LeanHttpMetrics {

  /** The labels vertx-micrometer may put on a request's series. */
  private static final Set<Label> REQUEST_LABELS = EnumSet.of(Label.LOCAL, Label.REMOTE, Label.HTTP_PATH,
      Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.CLIENT_NAME);
  /** Of those, the ones on by default: the only ones counted here. */
  private static final Set<Label> COUNTED = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE);

  private final Side server;
  private final Side client;

  private LeanHttpMetrics(MeterRegistry registry, MetricsNaming naming) {
    this.server = new Side(registry, naming, MetricsDomain.HTTP_SERVER);
    this.client = new Side(registry, naming, MetricsDomain.HTTP_CLIENT);
  }

  /**
   * The per-request counting for a Vert.x whose vertx-micrometer metrics were just made with
   * {@code options} (its registry is looked up by name, as vertx-micrometer found it), or
   * {@code null} when those options ask for more than this counts.
   */
  static LeanHttpMetrics of(MicrometerMetricsOptions options) {
    MeterRegistry registry = BackendRegistries.getNow(options.getRegistryName());
    return registry != null && counts(options) ? new LeanHttpMetrics(registry, options.getMetricsNaming()) : null;
  }

  /** Whether the request series these options give are the ones counted here. */
  static boolean counts(MicrometerMetricsOptions options) {
    Set<Label> labels = EnumSet.noneOf(Label.class);
    labels.addAll(options.getLabels());
    labels.retainAll(REQUEST_LABELS);
    return labels.equals(COUNTED)
        && options.getMetricsNaming().toJson().equals(MicrometerMetricsOptions.DEFAULT_METRICS_NAMING.toJson())
        && options.getServerRequestTagsProvider() == null && options.getClientRequestTagsProvider() == null;
  }

  /** vertx-micrometer's server metrics with their requests counted here; {@code null} (category off) stays so. */
  @SuppressWarnings("unchecked")
  HttpServerMetrics<?, ?, ?> server(HttpServerMetrics<?, ?, ?> micrometer) {
    return micrometer == null ? null : new ServerSide((HttpServerMetrics<Object, Object, Object>) micrometer, server);
  }

  /** vertx-micrometer's client metrics with their requests counted here; {@code null} (category off) stays so. */
  @SuppressWarnings("unchecked")
  HttpClientMetrics<?, ?, ?> client(HttpClientMetrics<?, ?, ?> micrometer) {
    return micrometer == null ? null : new ClientSide((HttpClientMetrics<Object, Object, Object>) micrometer, client);
  }

  /** The meters of one side (every server, or every client), by method and then by status code. */
  private static final class Side {
    final MeterRegistry registry;
    /** vertx-micrometer's names for the domain, under the base name it gives them ("vertx.", the category, "."). */
    final MetricsNaming names;
    final boolean server;
    private final Map<String, Method> methods = new ConcurrentHashMap<>();

    Side(MeterRegistry registry, MetricsNaming naming, MetricsDomain domain) {
      this.registry = registry;
      this.names = naming.withBaseName("vertx." + domain.toCategory() + ".");
      this.server = domain == MetricsDomain.HTTP_SERVER;
    }

    Method method(HttpMethod method) {
      String name = method.name();
      Method found = methods.get(name);
      return found != null ? found : methods.computeIfAbsent(name, n -> new Method(this, n));
    }
  }

  /** A meter registered the first time it is used, as vertx-micrometer does: no series of zeros before. */
  private static final class Lazy<M> {
    private final Supplier<M> register;
    private volatile M meter;

    Lazy(Supplier<M> register) {
      this.register = register;
    }

    M get() {
      M found = meter;
      if (found == null) {
        // Two threads may both register it: the registry hands both the same meter.
        found = register.get();
        meter = found;
      }
      return found;
    }
  }

  /** One method's meters; a status code's are made the first time it is seen. */
  private static final class Method {
    private final Side side;
    private final Tags tags;
    final LongAdder active = new LongAdder();
    /** Client only: requests sent, counted as they begin (the server counts its own at the response's end). */
    final Counter sent;
    final Lazy<DistributionSummary> requestBytes;
    /** Server only: the client's reset is not counted by vertx-micrometer either. */
    final Lazy<Counter> resets;
    private final AtomicReferenceArray<Status> statuses = new AtomicReferenceArray<>(1000);

    Method(Side side, String method) {
      this.side = side;
      this.tags = Tags.of(Label.HTTP_METHOD.toString(), method);
      MeterRegistry registry = side.registry;
      MetricsNaming names = side.names;
      Gauge.builder(names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description(side.server ? "Number of requests being processed" : "Number of requests waiting for a response")
          .tags(tags).strongReference(true).register(registry);
      sent = side.server ? null
          : Counter.builder(names.getHttpRequestsCount()).description("Number of requests sent").tags(tags)
              .register(registry);
      requestBytes = new Lazy<>(() -> DistributionSummary.builder(names.getHttpRequestBytes())
          .description("Size of requests in bytes").tags(tags).register(registry));
      resets = new Lazy<>(() -> Counter.builder(names.getHttpRequestResetsCount())
          .description("Number of request resets").tags(tags).register(registry));
    }

    /** A status code's meters; a code outside 0-999 (or none, -1: no response began) gets new ones each time. */
    Status status(int code) {
      if (code < 0 || code >= statuses.length()) {
        return new Status(side, code < 0 ? tags : tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)));
      }
      Status found = statuses.get(code);
      if (found == null) {
        found = new Status(side, tags.and(Label.HTTP_CODE.toString(), String.valueOf(code)));
        statuses.compareAndSet(code, null, found);
      }
      return found;
    }
  }

  /** One method and status code's meters (the registry hands out the same meters to a second maker). */
  private static final class Status {
    final Counter count;
    final Timer time;
    final DistributionSummary bytes;

    Status(Side side, Tags tags) {
      MeterRegistry registry = side.registry;
      MetricsNaming names = side.names;
      count = Counter.builder(side.server ? names.getHttpRequestsCount() : names.getHttpResponsesCount())
          .description(side.server ? "Number of processed requests" : "Response count with codes")
          .tags(tags).register(registry);
      time = Timer.builder(names.getHttpResponseTime())
          .description(side.server ? "Request processing time" : "Response time").tags(tags).register(registry);
      bytes = DistributionSummary.builder(names.getHttpResponseBytes()).description("Size of responses in bytes")
          .tags(tags).register(registry);
    }
  }

  /**
   * One request under way. It stops counting as active when both its halves ended, or when it was
   * reset, exactly as vertx-micrometer decides it (a reset always takes it off, and then nothing
   * else does).
   */
  private static final class Exchange {
    final Method method;
    final long startNanos = System.nanoTime();
    int code = -1;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    Exchange(Method method) {
      this.method = method;
      method.active.increment();
    }

    void requestEnded(long bytes) {
      method.requestBytes.get().record(bytes);
      requestEnded = true;
      leaveWhenOver();
    }

    void responseEnded(long bytes) {
      Status status = method.status(code);
      status.count.increment();
      status.time.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      status.bytes.record(bytes);
      responseEnded = true;
      leaveWhenOver();
    }

    void reset() {
      method.active.decrement();
      reset = true;
    }

    private void leaveWhenOver() {
      if (requestEnded && responseEnded && !reset) {
        method.active.decrement();
      }
    }
  }

  /** A server's or client's connections and bytes: vertx-micrometer's own, passed through. */
  private abstract static class Sockets<D extends TCPMetrics<Object>> implements TCPMetrics<Object> {
    final D micrometer;

    Sockets(D micrometer) {
      this.micrometer = micrometer;
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return micrometer.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      micrometer.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      micrometer.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      micrometer.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
      micrometer.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      micrometer.close();
    }
  }

  /** The HTTP servers' metrics: connections and bytes by vertx-micrometer, requests here. */
  private static final class ServerSide extends Sockets<HttpServerMetrics<Object, Object, Object>>
      implements HttpServerMetrics<Exchange, Object, Object> {
    private final Side side;

    ServerSide(HttpServerMetrics<Object, Object, Object> micrometer, Side side) {
      super(micrometer);
      this.side = side;
    }

    @Override
    public Exchange requestBegin(Object socketMetric, HttpRequest request) {
      return new Exchange(side.method(request.method()));
    }

    @Override
    public void requestEnd(Exchange exchange, HttpRequest request, long bytesRead) {
      exchange.requestEnded(bytesRead);
    }

    @Override
    public void requestReset(Exchange exchange) {
      exchange.method.resets.get().increment();
      exchange.reset();
    }

    @Override
    public Exchange responsePushed(Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return new Exchange(side.method(method));
    }

    @Override
    public void responseEnd(Exchange exchange, HttpResponse response, long bytesWritten) {
      exchange.code = response.statusCode();
      exchange.responseEnded(bytesWritten);
    }

    @Override
    public Object connected(Object socketMetric, Exchange exchange, ServerWebSocket webSocket) {
      // vertx-micrometer counts a websocket by its connection's labels; it does not read the request.
      return micrometer.connected(socketMetric, null, webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      micrometer.disconnected(webSocketMetric);
    }
  }

  /**
   * An HTTP client's metrics: connections and bytes by vertx-micrometer, requests here. Its
   * endpoint metrics are this class's own: vertx-micrometer's (5.0) count only requests and have
   * no pool or connection hook.
   */
  private static final class ClientSide extends Sockets<HttpClientMetrics<Object, Object, Object>>
      implements HttpClientMetrics<Exchange, Object, Object> {
    private final Endpoint endpoint;

    ClientSide(HttpClientMetrics<Object, Object, Object> micrometer, Side side) {
      super(micrometer);
      this.endpoint = new Endpoint(side);
    }

    @Override
    public ClientMetrics<Exchange, HttpRequest, HttpResponse> createEndpointMetrics(SocketAddress remoteAddress,
                                                                                   int maxPoolSize) {
      return endpoint;
    }

    @Override
    public Object connected(WebSocket webSocket) {
      return micrometer.connected(webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      micrometer.disconnected(webSocketMetric);
    }
  }

  /** Every upstream endpoint's requests: without the {@code remote} label, one object serves them all. */
  private record Endpoint(Side side) implements ClientMetrics<Exchange, HttpRequest, HttpResponse> {
    @Override
    public Exchange requestBegin(String uri, HttpRequest request) {
      Exchange exchange = new Exchange(side.method(request.method()));
      exchange.method.sent.increment();
      return exchange;
    }

    @Override
    public void requestEnd(Exchange exchange, long bytesWritten) {
      exchange.requestEnded(bytesWritten);
    }

    @Override
    public void responseBegin(Exchange exchange, HttpResponse response) {
      exchange.code = response.statusCode();
    }

    @Override
    public void requestReset(Exchange exchange) {
      exchange.reset();
    }

    @Override
    public void responseEnd(Exchange exchange, long bytesRead) {
      exchange.responseEnded(bytesRead);
    }
  }
}
