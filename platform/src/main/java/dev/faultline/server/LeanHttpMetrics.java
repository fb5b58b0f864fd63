package dev.faultline.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
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
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's per-request HTTP metrics, the series vertx-micrometer makes with its default labels
 * ({@code vertx_http_server_*} and {@code vertx_http_client_*}: requests, response time, request
 * and response bytes, active requests, by {@code method} and {@code code}; same names, labels and
 * help), counted on meters looked up once per method and status instead of once per request and
 * series: vertx-micrometer builds tags and asks the registry for every meter of every request,
 * about a sixth of a proxied request's CPU. Everything else (connections, bytes on the wire,
 * pools, the JVM, websockets) stays vertx-micrometer's own, which this wraps.
 */
public final class LeanHttpMetrics implements VertxMetricsFactory {

  private final VertxMetricsFactory delegate;
  private final MeterRegistry registry;

  /**
   * @param delegate vertx-micrometer's factory, made on {@code registry} with the default labels
   *                 and naming (this counts {@code method} and {@code code} only)
   */
  public LeanHttpMetrics(VertxMetricsFactory delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Wrapped(delegate.metrics(options), new Side(registry, MetricsDomain.HTTP_SERVER, true),
        new Side(registry, MetricsDomain.HTTP_CLIENT, false));
  }

  @Override
  public MetricsOptions newOptions() {
    return delegate.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return delegate.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return delegate.newOptions(json);
  }

  /** The meters of one side (server or client), by method and then by status code. */
  private static final class Side {
    private final MeterRegistry registry;
    private final MetricsNaming names;
    private final boolean server;
    private final Map<String, Method> methods = new ConcurrentHashMap<>();

    Side(MeterRegistry registry, MetricsDomain domain, boolean server) {
      this.registry = registry;
      // vertx-micrometer's own names for the domain (its base name: "vertx.", the category, ".")
      this.names = MicrometerMetricsOptions.DEFAULT_METRICS_NAMING.withBaseName("vertx." + domain.toCategory() + ".");
      this.server = server;
    }

    Method method(HttpMethod method) {
      String name = method.name();
      Method found = methods.get(name);
      return found != null ? found : methods.computeIfAbsent(name, n -> new Method(this, n));
    }
  }

  /** One method's meters; a status code's are made the first time it is seen. */
  private static final class Method {
    private final Side side;
    private final String method;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    /** Server: requests processed (at the response's end); client: requests sent (at their start). */
    final Counter requests;
    /** Made at the first reset, as vertx-micrometer does: no series of zeros before. */
    private volatile Counter resets;
    private final AtomicReferenceArray<Status> statuses = new AtomicReferenceArray<>(1000);

    Method(Side side, String method) {
      this.side = side;
      this.method = method;
      MeterRegistry registry = side.registry;
      Gauge.builder(side.names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description(side.server ? "Number of requests being processed" : "Number of requests waiting for a response")
          .tags("method", method).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(side.names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tags("method", method).register(registry);
      requests = side.server ? null
          : Counter.builder(side.names.getHttpRequestsCount()).description("Number of requests sent").tags("method", method)
              .register(registry);
    }

    Counter resets() {
      Counter counter = resets;
      if (counter == null) {
        counter = Counter.builder(side.names.getHttpRequestResetsCount()).description("Number of request resets")
            .tags("method", method).register(side.registry);
        resets = counter;
      }
      return counter;
    }

    Status status(int code) {
      if (code < 0 || code >= statuses.length()) {
        return new Status(side, method, String.valueOf(code));
      }
      Status found = statuses.get(code);
      if (found == null) {
        found = new Status(side, method, String.valueOf(code));
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

    Status(Side side, String method, String code) {
      MeterRegistry registry = side.registry;
      count = Counter.builder(side.server ? side.names.getHttpRequestsCount() : side.names.getHttpResponsesCount())
          .description(side.server ? "Number of processed requests" : "Response count with codes")
          .tags("method", method, "code", code).register(registry);
      time = Timer.builder(side.names.getHttpResponseTime())
          .description(side.server ? "Request processing time" : "Response time")
          .tags("method", method, "code", code).register(registry);
      bytes = DistributionSummary.builder(side.names.getHttpResponseBytes()).description("Size of responses in bytes")
          .tags("method", method, "code", code).register(registry);
    }
  }

  /** One request under way: it stops counting as active once both its halves ended, or it was reset. */
  private static final class Exchange {
    final Method method;
    final long startNanos = System.nanoTime();
    int code;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean done;

    Exchange(Method method) {
      this.method = method;
      method.active.increment();
    }

    void requestEnded() {
      requestEnded = true;
      leaveWhenOver();
    }

    void responseEnded() {
      responseEnded = true;
      leaveWhenOver();
    }

    void reset() {
      if (!done) {
        done = true;
        method.active.decrement();
      }
    }

    private void leaveWhenOver() {
      if (requestEnded && responseEnded) {
        reset();
      }
    }

    void record(long bytes) {
      Status status = method.status(code);
      status.count.increment();
      status.time.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      status.bytes.record(bytes);
    }
  }

  /** vertx-micrometer's metrics with the HTTP server's and client's per-request part counted here. */
  private static final class Wrapped implements VertxMetrics {
    private final VertxMetrics delegate;
    private final Side server;
    private final Side client;

    Wrapped(VertxMetrics delegate, Side server, Side client) {
      this.delegate = delegate;
      this.server = server;
      this.client = client;
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
      return delegate.createEventBusMetrics();
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> original = delegate.createHttpServerMetrics(options, localAddress);
      return original == null ? null : new ServerMetrics((HttpServerMetrics<Object, Object, Object>) original, server);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return delegate.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      HttpClientMetrics<?, ?, ?> original = delegate.createHttpClientMetrics(options);
      return original == null ? null : new ClientSide((HttpClientMetrics<Object, Object, Object>) original, client);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return delegate.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return delegate.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return delegate.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return delegate.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(io.vertx.core.Vertx vertx) {
      delegate.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return delegate.isMetricsEnabled();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** A server's or client's connections and bytes: vertx-micrometer's own, passed through. */
  private abstract static class Sockets<D extends TCPMetrics<Object>> implements TCPMetrics<Object> {
    final D delegate;

    Sockets(D delegate) {
      this.delegate = delegate;
    }

    @Override
    public Object connected(SocketAddress remoteAddress, String remoteName) {
      return delegate.connected(remoteAddress, remoteName);
    }

    @Override
    public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
      delegate.disconnected(socketMetric, remoteAddress);
    }

    @Override
    public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesRead(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
      delegate.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
    }

    @Override
    public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
      delegate.exceptionOccurred(socketMetric, remoteAddress, t);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** An HTTP server's metrics: connections and bytes by vertx-micrometer, requests here. */
  private static final class ServerMetrics extends Sockets<HttpServerMetrics<Object, Object, Object>>
      implements HttpServerMetrics<Exchange, Object, Object> {
    private final Side side;

    ServerMetrics(HttpServerMetrics<Object, Object, Object> delegate, Side side) {
      super(delegate);
      this.side = side;
    }

    @Override
    public Exchange requestBegin(Object socketMetric, HttpRequest request) {
      return new Exchange(side.method(request.method()));
    }

    @Override
    public void requestEnd(Exchange exchange, HttpRequest request, long bytesRead) {
      exchange.method.requestBytes.record(bytesRead);
      exchange.requestEnded();
    }

    @Override
    public void requestReset(Exchange exchange) {
      exchange.method.resets().increment();
      exchange.reset();
    }

    @Override
    public Exchange responsePushed(Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
      return new Exchange(side.method(method));
    }

    @Override
    public void responseEnd(Exchange exchange, HttpResponse response, long bytesWritten) {
      exchange.code = response.statusCode();
      exchange.record(bytesWritten);
      exchange.responseEnded();
    }

    @Override
    public Object connected(Object socketMetric, Exchange exchange, ServerWebSocket webSocket) {
      // vertx-micrometer counts a websocket by its connection's labels; the request is not read.
      return delegate.connected(socketMetric, null, webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      delegate.disconnected(webSocketMetric);
    }
  }

  /** An HTTP client's metrics: connections and bytes by vertx-micrometer, requests here. */
  private static final class ClientSide extends Sockets<HttpClientMetrics<Object, Object, Object>>
      implements HttpClientMetrics<Exchange, Object, Object> {
    private final Side side;

    ClientSide(HttpClientMetrics<Object, Object, Object> delegate, Side side) {
      super(delegate);
      this.side = side;
    }

    @Override
    public ClientMetrics<Exchange, HttpRequest, HttpResponse> createEndpointMetrics(SocketAddress remoteAddress,
                                                                                   int maxPoolSize) {
      return new Endpoint(delegate.createEndpointMetrics(remoteAddress, maxPoolSize), side);
    }

    @Override
    public void endpointConnected(ClientMetrics<Exchange, ?, ?> endpointMetric) {
      delegate.endpointConnected(((Endpoint) endpointMetric).delegate);
    }

    @Override
    public void endpointDisconnected(ClientMetrics<Exchange, ?, ?> endpointMetric) {
      delegate.endpointDisconnected(((Endpoint) endpointMetric).delegate);
    }

    @Override
    public Object connected(WebSocket webSocket) {
      return delegate.connected(webSocket);
    }

    @Override
    public void disconnected(Object webSocketMetric) {
      delegate.disconnected(webSocketMetric);
    }
  }

  /** One upstream endpoint's requests; vertx-micrometer's own endpoint object rides along for its pool hooks. */
  private static final class Endpoint implements ClientMetrics<Exchange, HttpRequest, HttpResponse> {
    final ClientMetrics<Object, HttpRequest, HttpResponse> delegate;
    private final Side side;

    Endpoint(ClientMetrics<Object, HttpRequest, HttpResponse> delegate, Side side) {
      this.delegate = delegate;
      this.side = side;
    }

    @Override
    public Exchange requestBegin(String uri, HttpRequest request) {
      Exchange exchange = new Exchange(side.method(request.method()));
      exchange.method.requests.increment();
      return exchange;
    }

    @Override
    public void requestEnd(Exchange exchange, long bytesWritten) {
      exchange.method.requestBytes.record(bytesWritten);
      exchange.requestEnded();
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
      exchange.responseEnded();
      exchange.record(bytesRead);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
