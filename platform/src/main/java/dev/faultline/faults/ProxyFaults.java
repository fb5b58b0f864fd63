package dev.faultline.faults;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.SharedCounter;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxy's faults, built from its settings: the faults the strategies made, the request
 * counter their schedules and seed use, and the upstream timeout. Shared by every event loop of
 * the proxy (the strategies' state must outlive an interceptor rebuild), and rebuilt only when
 * the faults or their options change.
 */
final class ProxyFaults {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyFaults.class);
  /** Distinct override headers whose faults are kept (their state, e.g. a limiter's, lives on). */
  private static final int MAX_OVERRIDES = 64;

  /** One entry with the fault its strategy made; {@code fault} is null for the upstream timeout. */
  record Rule(FaultEntry entry, Fault fault) {
  }

  private final String proxyId;
  private final String settings;
  /** How many times the faults had been set afresh when these were built. */
  private final long generation;
  private final Set<String> strategies;
  private final FaultCatalog catalog;
  private final Clock clock;
  private final long seed;
  private final boolean headerOverride;
  private final List<Rule> rules;
  /** The proxy's own upstream timeout, from {@code rules}. */
  private final Optional<Long> timeout;
  private final AtomicLong requests = new AtomicLong();
  /** The cluster's request count, when schedules or the seed need one; {@code null}: this node's {@link #requests}. */
  private final SharedCounter sharedIndex;
  private final FaultCounters counters;
  private final Map<String, List<Rule>> overrides = new ConcurrentHashMap<>();

  ProxyFaults(ProxyDefinition proxy, FaultCatalog catalog, Vertx vertx, Clock clock, long generation) {
    this.proxyId = proxy.id();
    this.settings = settingsOf(proxy);
    this.generation = generation;
    this.catalog = catalog;
    this.clock = clock;
    this.counters = new FaultCounters(vertx, proxy.id(), settings);
    FaultOptions options = FaultOptions.from(proxy.block(FaultOptions.NAME));
    this.seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
    this.headerOverride = options.headerOverride();
    JsonArray stored = proxy.block(FaultEntries.FIELD) instanceof JsonArray a ? a : new JsonArray();
    this.strategies = new LinkedHashSet<>();
    stored.forEach(e -> {
      if (e instanceof JsonObject entry && entry.getValue("strategy") instanceof String id) {
        strategies.add(id);
      }
    });
    this.rules = build(stored, "entries");
    this.timeout = timeoutOf(rules);
    boolean counted = options.seed() != null || rules.stream()
        .anyMatch(rule -> rule.entry().schedule() != null && rule.entry().schedule().nextRequests() != null);
    this.sharedIndex = counted && counters.clustered() ? counters.counter("requests") : null;
  }

  /** Whether these faults were built from {@code proxy}'s settings, set {@code generation} times afresh. */
  boolean builtFrom(ProxyDefinition proxy, long generation) {
    return this.generation == generation && settings.equals(settingsOf(proxy));
  }

  /** Whether an entry names one of {@code ids} (loaded or not). */
  boolean uses(Set<String> ids) {
    return strategies.stream().anyMatch(ids::contains);
  }

  boolean isEmpty() {
    return rules.isEmpty() && !headerOverride;
  }

  /** Whether a request can have an upstream timeout: the proxy sets one, or an override header may. */
  boolean mayTimeOut() {
    return timeout.isPresent() || headerOverride;
  }

  /**
   * Asks the faults that apply to this request; fails with a 400 ProxyError for a bad override
   * header. In a cluster, the request's number (which schedules and the seed read) is counted
   * across the nodes when a schedule or a seed needs it.
   */
  Future<FaultPlan> plan(Exchange exchange) {
    List<Rule> active;
    try {
      active = override(exchange).orElse(rules);
    } catch (RuntimeException e) {
      requests.getAndIncrement();
      return Future.failedFuture(e);
    }
    return nextIndex().compose(index -> {
      FaultPlan plan = new FaultPlan();
      if (active.isEmpty()) {
        return Future.succeededFuture(plan);
      }
      return decide(active, 0, request(exchange, index), index, clock.instant(), exchange, plan);
    });
  }

  /** This request's number: the cluster's count when one is kept, else this node's. */
  private Future<Long> nextIndex() {
    if (sharedIndex == null) {
      return Future.succeededFuture(requests.getAndIncrement());
    }
    return sharedIndex.addAndGet(1).map(n -> n - 1).otherwise(e -> {
      LOG.warn("Proxy {}: the cluster's request count is unreachable ({}); counting on this node", proxyId,
          e.toString());
      return requests.getAndIncrement();
    });
  }

  /** Rule {@code i} and the ones after it, in turn, until one decides for the request. */
  private Future<FaultPlan> decide(List<Rule> active, int i, FaultRequest request, long index, Instant now,
                                   Exchange exchange, FaultPlan plan) {
    for (int at = i; at < active.size(); at++) {
      Rule rule = active.get(at);
      FaultEntry entry = rule.entry();
      if (rule.fault() == null || entry.schedule() != null && !entry.schedule().active(now, index)) {
        continue;
      }
      if (entry.rate() < 1 && request.random().nextDouble() >= entry.rate()) {
        continue;
      }
      Future<FaultDecision> decision;
      try {
        decision = rule.fault().decideAsync(request);
      } catch (RuntimeException | LinkageError e) {
        decision = Future.failedFuture(e);
      }
      int next = at + 1;
      return decision
          .otherwise(e -> {
            LOG.error("Fault '{}' of proxy {} failed; request {} is served without it", entry.strategy(), proxyId,
                exchange.requestId(), e);
            return null;
          })
          .compose(decided -> decided != null && plan.add(entry.strategy(), decided) ? Future.succeededFuture(plan)
              : decide(active, next, request, index, now, exchange, plan));
    }
    return Future.succeededFuture(plan);
  }

  /** The upstream timeout for this request (an override's, else the proxy's), if any. */
  Optional<Long> timeoutMillis(Exchange exchange) {
    return override(exchange).flatMap(ProxyFaults::timeoutOf).or(() -> timeout);
  }

  private static Optional<Long> timeoutOf(List<Rule> rules) {
    return rules.stream()
        .filter(r -> r.entry().isUpstreamTimeout())
        .map(r -> r.entry().params().getLong(UpstreamTimeout.MS))
        .findFirst();
  }

  /** The faults the request's override header forces, when it has one and this proxy allows it. */
  private Optional<List<Rule>> override(Exchange exchange) {
    if (!headerOverride) {
      return Optional.empty();
    }
    return exchange.request().headers().get(FaultOverride.HEADER).map(header -> {
      List<Rule> known = overrides.get(header);
      if (known != null) {
        return known;
      }
      List<Rule> built = build(FaultEntries.toJson(FaultOverride.parse(header, catalog, clock.instant())),
          "override." + FaultCounters.digest(header));
      if (overrides.size() >= MAX_OVERRIDES) {
        overrides.clear();
      }
      overrides.put(header, built);
      return built;
    });
  }

  private FaultRequest request(Exchange exchange, long index) {
    ProxyRequest request = exchange.request();
    return FaultRequest.builder()
        .proxyId(proxyId)
        .requestId(exchange.requestId())
        .method(request.method())
        .path(request.path())
        .model(request.model())
        .stream(request.stream())
        .headers(request.headers())
        .estimatedTokens(() -> TokenEstimate.of(request.json()))
        .random(FaultRandom.forRequest(seed, index))
        .clock(clock)
        .dialect(exchange.dialect())
        .build();
  }

  /** The rules of stored entries; an entry that no longer checks, or whose strategy fails, is skipped. */
  private List<Rule> build(JsonArray entries, String scope) {
    List<Rule> built = new ArrayList<>(entries.size());
    Instant now = clock.instant();
    for (int i = 0; i < entries.size(); i++) {
      try {
        FaultEntry entry = FaultEntries.entry(entries.getValue(i), FaultEntries.FIELD + "[" + i + "]", catalog, now);
        built.add(new Rule(entry, entry.isUpstreamTimeout() ? null : create(entry, scope + "." + i)));
      } catch (ProxyException e) {
        LOG.warn("Proxy {}: fault skipped, {}", proxyId, e.getMessage());
      } catch (RuntimeException | LinkageError e) {
        LOG.error("Proxy {}: fault {} skipped, its strategy failed to create it", proxyId, entries.getValue(i), e);
      }
    }
    return List.copyOf(built);
  }

  /** @param scope names the entry among the proxy's, for its counters */
  private Fault create(FaultEntry entry, String scope) {
    FaultStrategy strategy = catalog.find(entry.strategy()).orElseThrow();
    Fault fault = strategy.create(entry.params(), counters.context(scope));
    if (fault == null) {
      throw new IllegalStateException("fault strategy '" + entry.strategy() + "' made no fault");
    }
    return fault;
  }

  private static String settingsOf(ProxyDefinition proxy) {
    Object entries = proxy.block(FaultEntries.FIELD);
    Object options = proxy.block(FaultOptions.NAME);
    // Most proxies set no faults; encoding two absent blocks was most of what building theirs cost.
    return entries == null && options == null ? "" : Json.encode(entries) + Json.encode(options);
  }
}
