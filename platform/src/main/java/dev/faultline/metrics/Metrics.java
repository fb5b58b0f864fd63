package dev.faultline.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Rolling aggregates of the log entries, per proxy and over all proxies: 1m, 15m and 1h
 * windows (Prometheus' totals are {@link FaultlineMeters}'). Time is passed in, so tests control it.
 * Not thread-safe: lives on the metrics verticle's event loop.
 */
final class Metrics {

  /** The scope of all proxies together, in snapshots. */
  static final String ALL = "*";
  /** In a proxy's saved scope: its owner, so that a restart still publishes it to them. */
  private static final String OWNER = "owner";

  private final Scope all = new Scope();
  private final Map<String, Scope> proxies = new TreeMap<>();
  /** Each proxy's owner, as its entries said: what is published on the owner's own address. */
  private final Map<String, String> owners = new HashMap<>();

  /** One scope's windows. */
  static final class Scope {
    final Map<Window, RollingWindow> windows = new EnumMap<>(Window.class);

    Scope() {
      for (Window window : Window.values()) {
        windows.put(window, new RollingWindow(window));
      }
    }

    void add(Sample sample, long now) {
      windows.values().forEach(w -> w.add(sample, now));
    }

    JsonObject summary(long now) {
      return Metrics.summary(List.of(this), now);
    }
  }

  /** Every window of the scopes together. */
  private static JsonObject summary(Collection<Scope> scopes, long now) {
    JsonObject summary = new JsonObject();
    for (Window window : Window.values()) {
      summary.put(window.label(), sum(scopes, window, now).summary(window.label(), window.seconds()));
    }
    return summary;
  }

  private static Aggregate sum(Collection<Scope> scopes, Window window, long now) {
    Aggregate total = new Aggregate();
    scopes.forEach(scope -> total.merge(scope.windows.get(window).sum(now)));
    return total;
  }

  void record(JsonObject entry, long now) {
    record(entry, null, now);
  }

  /** @param owner the owner of the entry's proxy, {@code null} when unknown */
  void record(JsonObject entry, String owner, long now) {
    record(Sample.of(entry), owner, now);
  }

  /** An entry read once by the caller, who needs it too. */
  void record(Sample sample, String owner, long now) {
    all.add(sample, now);
    if (sample.proxyId() != null) {
      proxies.computeIfAbsent(sample.proxyId(), id -> new Scope()).add(sample, now);
      if (owner != null) {
        owners.put(sample.proxyId(), owner);
      }
    }
  }

  /** One window of one proxy ({@code null}: all proxies); zeros for a proxy never seen. */
  JsonObject snapshot(String proxyId, Window window, long now) {
    Scope scope = proxyId == null ? all : proxies.get(proxyId);
    Aggregate sum = scope == null ? new Aggregate() : scope.windows.get(window).sum(now);
    return sum.summary(window.label(), window.seconds()).put("proxy_id", proxyId).put("ts", iso(now));
  }

  /** One window of these proxies together (one person's); zeros for those never seen. */
  JsonObject snapshotOf(Collection<String> proxyIds, Window window, long now) {
    List<Scope> scopes = proxyIds.stream().map(proxies::get).filter(Objects::nonNull).toList();
    return sum(scopes, window, now).summary(window.label(), window.seconds()).put("proxy_id", null)
        .put("ts", iso(now));
  }

  /**
   * What goes out every second: every window of all proxies and of each proxy active in the last
   * hour.
   */
  JsonObject published(long now) {
    JsonObject perProxy = new JsonObject();
    proxies.forEach((id, scope) -> {
      if (scope.windows.get(Window.ONE_HOUR).active(now)) {
        perProxy.put(id, scope.summary(now));
      }
    });
    return new JsonObject().put("ts", iso(now)).put("overall", all.summary(now)).put("proxies", perProxy);
  }

  /**
   * What goes out every second on each owner's own address: like {@link #published}, over that
   * owner's proxies active in the last hour only. Owners with none are left out.
   */
  Map<String, JsonObject> publishedByOwner(long now) {
    Map<String, Map<String, Scope>> byOwner = new TreeMap<>();
    proxies.forEach((id, scope) -> {
      String owner = owners.get(id);
      if (owner != null && scope.windows.get(Window.ONE_HOUR).active(now)) {
        byOwner.computeIfAbsent(owner, o -> new TreeMap<>()).put(id, scope);
      }
    });
    Map<String, JsonObject> published = new LinkedHashMap<>();
    byOwner.forEach((owner, scopes) -> {
      JsonObject perProxy = new JsonObject();
      scopes.forEach((id, scope) -> perProxy.put(id, scope.summary(now)));
      published.put(owner, new JsonObject().put("ts", iso(now)).put("overall", summary(scopes.values(), now))
          .put("proxies", perProxy));
    });
    return published;
  }

  /** The live slots of every scope, by scope ({@value #ALL} or a proxy id). */
  Map<String, JsonObject> save(long now) {
    Map<String, JsonObject> saved = new LinkedHashMap<>();
    saved.put(ALL, save(all, now));
    proxies.forEach((id, scope) -> {
      if (scope.windows.get(Window.ONE_HOUR).active(now)) {
        saved.put(id, save(scope, now).put(OWNER, owners.get(id)));
      }
    });
    return saved;
  }

  /** Puts a scope's saved slots back; those that have left their window since are skipped. */
  void restore(String scopeId, JsonObject saved, long now) {
    if (!ALL.equals(scopeId) && saved.getValue(OWNER) instanceof String owner) {
      owners.put(scopeId, owner);
    }
    Scope scope = ALL.equals(scopeId) ? all : proxies.computeIfAbsent(scopeId, id -> new Scope());
    scope.windows.forEach((window, slots) -> {
      if (saved.getValue(window.label()) instanceof JsonArray array) {
        slots.restore(array, now);
      }
    });
  }

  private static JsonObject save(Scope scope, long now) {
    JsonObject json = new JsonObject();
    scope.windows.forEach((window, slots) -> json.put(window.label(), slots.toJson(now)));
    return json;
  }

  private static String iso(long now) {
    return Instant.ofEpochMilli(now).toString();
  }
}
