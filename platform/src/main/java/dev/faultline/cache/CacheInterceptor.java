package dev.faultline.cache;

import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.Interceptor;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's step in a proxy's pipeline, after faults and before the upstream call. Answers a
 * request it has an entry for without touching the upstream; otherwise lets it through, copies
 * the answer on its way back, and stores it once it ended whole. Marks every response
 * {@code X-Faultline-Cache: HIT|MISS|BYPASS}.
 *
 * <p>Only {@code POST}s with a JSON body are cached: those are the model calls, and the rest
 * ({@code GET /v1/files}, {@code DELETE ...}) read or change state. A caller can opt out per
 * request: {@code Cache-Control: no-store} neither reads nor writes the cache,
 * {@code no-cache} skips the lookup and stores the fresh answer in place of the old one.
 */
final class CacheInterceptor implements Interceptor {

  static final String HEADER = "X-Faultline-Cache";
  static final String HIT = "HIT";
  static final String MISS = "MISS";
  static final String BYPASS = "BYPASS";

  private static final Logger LOG = LoggerFactory.getLogger(CacheInterceptor.class);
  /** Bodies above this are canonicalised and hashed on a worker thread, not the event loop. */
  private static final int INLINE_HASH_LIMIT = 64 * 1024;

  private final ResponseCache cache;
  private final String proxyId;
  private final Provider provider;
  private final CacheSettings settings;
  private final CacheCounters counters;
  private final KeyMemo memo = new KeyMemo();

  CacheInterceptor(ResponseCache cache, String proxyId, Provider provider, CacheSettings settings) {
    this.cache = cache;
    this.proxyId = proxyId;
    this.provider = provider;
    this.settings = settings;
    this.counters = cache.counters(proxyId);
  }

  @Override
  public Future<ProviderResponse> intercept(Exchange exchange, Chain chain) {
    ProxyRequest request = exchange.request();
    String control = String.join(",", request.headers().getAll("cache-control")).toLowerCase();
    if (control.contains("no-store") || !cacheable(request)) {
      mark(exchange, BYPASS);
      return chain.proceed(exchange);
    }
    boolean refresh = control.contains("no-cache");
    return key(request)
        .compose(key -> refresh ? fetch(exchange, chain, key, BYPASS, Coalescer.Turn.NONE) : lookup(exchange, chain, key),
            error -> {
              // A body the provider cannot normalize or JSON cannot hold is simply not cached.
              LOG.debug("Request {} not cacheable: {}", request.id(), error.toString());
              mark(exchange, BYPASS);
              return chain.proceed(exchange);
            });
  }

  private boolean cacheable(ProxyRequest request) {
    if (!"POST".equals(request.method()) || request.json() == null) {
      return false;
    }
    return settings.cacheNonzeroTemperature() || !samples(request);
  }

  /** Whether the answer is drawn at a temperature above 0; a completion or messages endpoint's default is 1. */
  private static boolean samples(ProxyRequest request) {
    Object temperature = request.json().getValue("temperature");
    if (temperature instanceof Number n) {
      return n.doubleValue() > 0;
    }
    String path = request.path();
    return path.endsWith("/completions") || path.endsWith("/responses") || path.endsWith("/messages");
  }

  private Future<CacheKeys.Key> key(ProxyRequest request) {
    if (request.body().length() <= INLINE_HASH_LIMIT) {
      try {
        return Future.succeededFuture(memo.of(request, () -> computeKey(request)));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return cache.vertx().executeBlocking(() -> computeKey(request), false);
  }

  private CacheKeys.Key computeKey(ProxyRequest request) {
    return cache.keys().of(proxyId, request, provider.normalize(request));
  }

  private Future<ProviderResponse> lookup(Exchange exchange, Chain chain, CacheKeys.Key key) {
    return cache.lookup(proxyId, key.value(), settings).compose(entry -> {
      if (entry != null) {
        return serve(exchange, entry);
      }
      Coalescer.Turn turn = cache.coalescer().join(key.value());
      if (turn.leader()) {
        return fetch(exchange, chain, key, MISS, turn);
      }
      return turn.outcome().compose(shared -> shared != null ? serve(exchange, shared) : lookup(exchange, chain, key));
    });
  }

  private Future<ProviderResponse> serve(Exchange exchange, CacheEntry entry) {
    mark(exchange, HIT);
    exchange.answerFacts(entry.facts());
    cache.touch(entry);
    return Future.succeededFuture(entry.replay(cache.vertx(), settings.replayTiming()));
  }

  /** Calls the upstream and, when the answer is a 2xx that ends whole and untouched, stores it. */
  private Future<ProviderResponse> fetch(Exchange exchange, Chain chain, CacheKeys.Key key, String status,
                                         Coalescer.Turn turn) {
    mark(exchange, status);
    return chain.proceed(exchange)
        .onFailure(error -> turn.pass())
        .map(response -> {
          if (response.status() < 200 || response.status() > 299) {
            turn.pass();
            return response;
          }
          long limit = settings.maxBytes() == null ? ResponseCache.MAX_ENTRY_BYTES
              : Math.min(ResponseCache.MAX_ENTRY_BYTES, settings.maxBytes());
          Recording recording = new Recording(response.eventStream(), limit);
          ResponseTee tee = new ResponseTee(response.body(), recording,
              () -> ended(exchange, key, response, recording, turn), turn::pass);
          return new ProviderResponse(response.status(), response.headers(), tee, () -> {
            tee.abort();
            response.cancel().run();
          });
        });
  }

  private void ended(Exchange exchange, CacheKeys.Key key, ProviderResponse response, Recording recording,
                     Coalescer.Turn turn) {
    // A fault that touched the answer (cut, slowed or corrupted it) or a caller who left first
    // means the caller did not get this answer as the upstream sent it: never replay it.
    if (exchange.fault() != null || exchange.finished()) {
      turn.pass();
      return;
    }
    if (!recording.complete()) {
      counters.tooBig.increment();
      turn.pass();
      return;
    }
    ProxyRequest request = exchange.request();
    CacheEntry entry = new CacheEntry(key.value(), proxyId, key.tenant(), key.digest(), request.model(), request.path(),
        response.status(), CacheEntry.keptHeaders(response.headers()), recording.body(), recording.events(),
        System.currentTimeMillis());
    cache.store(entry, settings);
    turn.share(entry);
  }

  private void mark(Exchange exchange, String status) {
    exchange.cacheStatus(status);
    exchange.responseHeader(HEADER, status);
    counters.count(status);
  }
}
