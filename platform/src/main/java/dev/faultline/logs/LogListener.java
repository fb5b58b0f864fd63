package dev.faultline.logs;

import com.knuddels.jtokkit.api.EncodingType;
import dev.faultline.access.OwnerAddress;
import dev.faultline.plugin.api.Cost;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Usage;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.ExchangeListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every finished exchange into a log entry, priced, hands it to the log writer and the
 * metrics ({@link LogFeed}) and publishes it on {@value #ADDRESS} for any live subscriber and the
 * other cluster nodes, and again on the
 * proxy owner's own address ({@code faultline.log.user.<ownerId>}, see {@link OwnerAddress}) for
 * subscribers who may see only their own proxies. The entry never
 * holds a header (so never an API key) nor the query string, and holds bodies only when the
 * proxy's {@code logging.bodies} asks for them.
 */
public final class LogListener implements ExchangeListener {

  /**
   * Where each log entry is published. Consumers in this JVM share one instance per entry:
   * read it, never change it.
   */
  public static final String ADDRESS = "faultline.log";
  /** The header on {@value #ADDRESS} naming the proxy's owner (the entry itself does not). */
  public static final String OWNER_HEADER = "owner_id";
  /** The header on {@value #ADDRESS} with the proxy's name, which Prometheus' labels show beside its id. */
  public static final String PROXY_NAME_HEADER = "proxy_name";
  private static final DeliveryOptions SHARED = new DeliveryOptions().setCodecName(LogEntryCodec.NAME);

  private static final Logger LOG = LoggerFactory.getLogger(LogListener.class);

  /** Where an entry's cost comes from. */
  static final String PRICE_TABLE = "price_table";
  static final String PROVIDER = "provider";
  static final String UNKNOWN_PRICE = "unknown_price";
  static final String NO_USAGE = "no_usage";

  private final Vertx vertx;
  private final LogFeed feed;
  private final TokenEstimator estimator;
  /** Held by the log writer when it falls behind; null when a full queue drops instead. */
  private final LogPressure pressure;
  /** Replaced once by {@link #loadPrices}, before any proxy serves. */
  private volatile PriceTable prices = PriceTable.of(Map.of());
  /** Each exchange's observer, from the response head to the end; exchanges compare by identity. */
  private final Map<Exchange, Watch> observers = new ConcurrentHashMap<>();

  /** An exchange's observer and the logging settings read once for it, at its response head. */
  private record Watch(ResponseObserver observer, LoggingBlock.Settings settings) {
  }

  /** Usage and whether it was counted here rather than reported. */
  private record Measured(Usage usage, boolean estimated) {
  }

  /**
   * @param feed     where every entry goes to the log writer and the metrics
   * @param pressure what the log writer holds when it falls behind; null never holds a proxy
   */
  public LogListener(Vertx vertx, LogFeed feed, LogPressure pressure) {
    this.vertx = vertx;
    this.feed = feed;
    this.pressure = pressure;
    this.estimator = new TokenEstimator(vertx);
    // A Faultline stopped and started again on the same Vert.x registers it anew.
    vertx.eventBus().unregisterCodec(LogEntryCodec.NAME).registerCodec(new LogEntryCodec());
  }

  /**
   * Reads the built-in price table with {@code userFile} (may be null) laid over it, on a worker.
   * Fails, naming the entry, on a bad file.
   */
  public Future<Void> loadPrices(Path userFile) {
    return vertx.executeBlocking(() -> PriceTable.load(userFile)).onSuccess(table -> prices = table).mapEmpty();
  }

  @Override
  public Future<Void> ready() {
    return pressure == null ? Future.succeededFuture() : pressure.ready();
  }

  @Override
  public BodyObserver observe(Exchange exchange) {
    LoggingBlock.Settings settings = LoggingBlock.Settings.of(exchange.proxy());
    if (!settings.enabled()) {
      return null;
    }
    ProxyRequest request = exchange.request();
    EncodingType encoding = request != null && request.stream()
        ? TokenEstimator.encodingFor(request.model()).orElse(null) : null;
    ResponseObserver observer = new ResponseObserver(exchange.provider(), exchange.knownRequest(),
        exchange.http().response().headers().get("content-type"), settings.bodies() ? settings.maxBodyBytes() : 0,
        encoding, estimator, exchange.answerFacts());
    observers.put(exchange, new Watch(observer, settings));
    return observer;
  }

  @Override
  public void finished(Exchange exchange) {
    Watch watch = observers.remove(exchange);
    // Read again only for an exchange that ended before its response head (a refusal, a reset).
    LoggingBlock.Settings settings = watch != null ? watch.settings() : LoggingBlock.Settings.of(exchange.proxy());
    ResponseObserver observer = watch != null ? watch.observer() : null;
    if (!settings.enabled()) {
      return;
    }
    LogEntry entry = describe(exchange, observer, settings);
    String pricedModel = observer != null && observer.model() != null ? observer.model() : entry.model;
    boolean cacheHit = "HIT".equals(exchange.cacheStatus());
    Provider provider = exchange.provider();
    measure(exchange, observer)
        .otherwise(error -> {
          LOG.warn("Could not count the tokens of {}: {}", exchange.requestId(), error.toString());
          return null;
        })
        .onSuccess(measured -> {
          account(entry, provider, pricedModel, measured, cacheHit);
          publish(entry);
        });
  }

  /**
   * To the writer and the metrics through the feed; on the bus to everyone who may see all
   * proxies, and to the owner's own subscribers.
   */
  private void publish(LogEntry entry) {
    feed.offer(entry);
    DeliveryOptions all = new DeliveryOptions(SHARED);
    if (entry.proxyName != null) {
      all.addHeader(PROXY_NAME_HEADER, entry.proxyName);
    }
    if (entry.ownerId == null) {
      // Only before the first admin exists, who then adopts the proxy.
      vertx.eventBus().publish(ADDRESS, entry, all);
      return;
    }
    vertx.eventBus().publish(ADDRESS, entry, all.addHeader(OWNER_HEADER, entry.ownerId));
    vertx.eventBus().publish(OwnerAddress.of(ADDRESS, entry.ownerId), entry, SHARED);
  }

  /** Every field but tokens and cost. */
  private static LogEntry describe(Exchange exchange, ResponseObserver observer, LoggingBlock.Settings settings) {
    ProxyRequest request = exchange.request();
    HttpServerRequest http = exchange.http();
    boolean lineRead = exchange.requestLineRead();
    LogEntry entry = new LogEntry();
    entry.ownerId = exchange.proxy().owner();
    entry.proxyName = exchange.proxy().name();
    entry.ts = exchange.startMillis();
    entry.proxyId = exchange.proxy().id();
    entry.requestId = exchange.requestId();
    entry.clientIp = exchange.clientIp();
    entry.method = lineRead ? http.method().name() : "";
    entry.path = request != null ? request.path() : lineRead ? http.path() : "";
    entry.model = request != null ? request.model() : null;
    entry.stream = request != null && request.stream();
    entry.status = exchange.status();
    entry.outcome = exchange.outcome().name().toLowerCase(Locale.ROOT);
    entry.latencyMs = millis(exchange.latencyMillis());
    entry.ttfbMs = millis(exchange.timeToFirstByteMillis());
    entry.upstreamMs = millis(exchange.upstreamMillis());
    entry.cacheStatus = exchange.cacheStatus();
    entry.fault = exchange.fault();
    entry.errorType = exchange.errorType() != null ? exchange.errorType()
        : observer != null ? observer.errorType(exchange.status()) : null;
    entry.errorMessage = observer != null ? observer.errorMessage(exchange.status()) : null;
    entry.retryAfter = lineRead ? http.response().headers().get("retry-after") : null;
    entry.bytesIn = exchange.bytesIn();
    entry.bytesOut = exchange.bytesOut();
    if (settings.bodies()) {
      entry.requestBody = request != null ? Bodies.prefix(request.body(), settings.maxBodyBytes()) : null;
      entry.responseBody = observer != null ? observer.capturedBody() : null;
    }
    return entry;
  }

  /** The usage set by a pipeline step, else reported by the upstream, else counted here for a 2xx stream. */
  private static Future<Measured> measure(Exchange exchange, ResponseObserver observer) {
    if (exchange.usage() != null) {
      return Future.succeededFuture(new Measured(exchange.usage(), exchange.usageEstimated()));
    }
    Usage reported = observer == null ? null : observer.usage();
    if (reported != null) {
      return Future.succeededFuture(new Measured(reported, false));
    }
    if (observer != null && observer.canEstimate() && exchange.status() / 100 == 2) {
      return observer.estimatedUsage(exchange.request().json()).map(usage -> new Measured(usage, true));
    }
    return Future.succeededFuture();
  }

  /** Tokens and cost. A cache hit cost nothing; what it would have cost is what it saved. */
  private void account(LogEntry entry, Provider provider, String model, Measured measured, boolean cacheHit) {
    Usage usage = measured == null ? null : measured.usage();
    entry.usageEstimated = measured != null && measured.estimated();
    entry.costSource = NO_USAGE;
    if (usage == null) {
      return;
    }
    entry.promptTokens = usage.promptTokens();
    entry.completionTokens = usage.completionTokens();
    entry.totalTokens = usage.totalTokens();
    entry.cachedTokens = usage.cachedPromptTokens();
    Double cost;
    Optional<Cost> own = providerCost(provider, model, usage);
    if (own.isPresent()) {
      cost = own.get().usd();
      entry.costSource = PROVIDER;
    } else {
      Optional<PriceTable.Price> price = prices.find(provider.id(), model);
      cost = price.map(p -> p.cost(usage)).orElse(null);
      entry.costSource = price.isPresent() ? PRICE_TABLE : UNKNOWN_PRICE;
    }
    entry.costUsd = cacheHit ? Double.valueOf(0) : cost;
    entry.costSavedUsd = cacheHit ? cost : null;
  }

  private static Optional<Cost> providerCost(Provider provider, String model, Usage usage) {
    try {
      return provider.cost(model, usage);
    } catch (RuntimeException e) {
      LOG.warn("Provider '{}' failed to price model '{}'; using the price table: {}", provider.id(), model, e.toString());
      return Optional.empty();
    }
  }

  /** Milliseconds to the microsecond; null for a moment that never came. */
  private static Double millis(double value) {
    return value < 0 ? null : Math.round(value * 1000) / 1000.0;
  }
}
