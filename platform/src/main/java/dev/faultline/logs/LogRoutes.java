package dev.faultline.logs;

import dev.faultline.access.Caller;
import dev.faultline.access.OwnerAddress;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/logs} (filtered, newest first, paged by cursor, or exported as CSV, JSON or
 * NDJSON) and {@code GET /api/logs/stream} (live entries as server-sent events). A caller who is
 * not an admin reads the entries of their own proxies only, and is answered for someone else's
 * {@code proxy=} as for a proxy that does not exist; an admin reads all, those of deleted proxies too.
 */
final class LogRoutes implements ApiRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(LogRoutes.class);
  private static final Set<String> LIST_PARAMS = Set.of("proxy", "from", "to", "status", "model", "cache", "fault",
      "limit", "cursor", "export");
  private static final Set<String> STREAM_PARAMS = Set.of("proxy");
  private static final Set<String> CACHE_STATUSES = Set.of("HIT", "MISS", "BYPASS");
  private static final Pattern STATUS = Pattern.compile("[1-5](\\d\\d|xx)");
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;
  private static final long SSE_PING_MS = 15_000;

  private final Vertx vertx;
  private final ProxyManager proxies;
  private final LogStore store;
  private final LogExport export;
  /** The fault strategies loaded now: a {@code fault} filter must name one of them. */
  private final Supplier<List<String>> strategies;

  /** @param strategies the ids of the fault strategies loaded now */
  LogRoutes(Vertx vertx, ProxyManager proxies, LogStore store, Supplier<List<String>> strategies) {
    this.vertx = vertx;
    this.proxies = proxies;
    this.store = store;
    this.export = new LogExport(store);
    this.strategies = strategies;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/logs").handler(this::list);
    router.get("/api/logs/stream").handler(this::stream);
  }

  private void list(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    LogQuery query;
    LogExport.Format format;
    int limit;
    try {
      checkNames(params, LIST_PARAMS);
      query = query(params);
      String exportAs = single(params, "export");
      format = exportAs == null ? null : LogExport.Format.parse(exportAs.toLowerCase(Locale.ROOT))
          .orElseThrow(() -> invalid("export", "must be csv, json or ndjson, got \"" + exportAs + "\""));
      limit = limit(single(params, "limit"));
    } catch (Responses.BadRequest bad) {
      Responses.failure(ctx, bad);
      return;
    }
    Caller caller = Caller.of(ctx);
    scoped(caller, query).onComplete(scoped -> {
      if (scoped.failed()) {
        Responses.failure(ctx, scoped.cause());
      } else if (format != null) {
        exportTo(ctx, scoped.result(), format);
      } else {
        Responses.reply(ctx, 200, store.page(scoped.result(), limit).map(page -> new JsonObject()
            .put("entries", new JsonArray(page.entries()))
            .put("next_cursor", page.next() == null ? null : page.next().toString())));
      }
    });
  }

  /**
   * {@code query} as {@code caller} may run it: an admin's as it is; anyone else's limited to their
   * own proxies, failing with the 404 of a missing proxy when it names one that is not theirs.
   */
  private Future<LogQuery> scoped(Caller caller, LogQuery query) {
    if (caller.admin()) {
      return Future.succeededFuture(query);
    }
    return query.proxyId() != null ? proxies.visible(caller, query.proxyId()).map(query)
        : proxies.visibleIds(caller).map(query::within);
  }

  private void exportTo(RoutingContext ctx, LogQuery query, LogExport.Format format) {
    HttpServerResponse response = ctx.response()
        .putHeader("content-disposition", "attachment; filename=\"faultline-logs." + format.extension() + "\"");
    export.write(query, format, response).onFailure(e -> {
      LOG.warn("Log export stopped: {}", e.getMessage());
      // Headers are out: breaking the connection is the only way to say the file is incomplete.
      if (!response.ended()) {
        response.reset();
      }
    });
  }

  /**
   * Live entries, one {@code data:} event each; a caller too slow to keep up is told how many it
   * missed. An admin's come from {@value LogListener#ADDRESS}, anyone else's from their own
   * address, which carries their proxies' entries only.
   */
  private void stream(RoutingContext ctx) {
    String proxy;
    try {
      checkNames(ctx.queryParams(), STREAM_PARAMS);
      proxy = single(ctx.queryParams(), "proxy");
    } catch (Responses.BadRequest bad) {
      Responses.failure(ctx, bad);
      return;
    }
    Caller caller = Caller.of(ctx);
    if (proxy == null || caller.admin()) {
      stream(ctx, caller, proxy);
      return;
    }
    proxies.visible(caller, proxy).onComplete(visible -> {
      if (visible.failed()) {
        Responses.failure(ctx, visible.cause());
      } else {
        stream(ctx, caller, proxy);
      }
    });
  }

  private void stream(RoutingContext ctx, Caller caller, String proxy) {
    String address = caller.admin() ? LogListener.ADDRESS : OwnerAddress.of(LogListener.ADDRESS, caller.userId());
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.write(": faultline log stream\n\n");
    long[] missed = {0};
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, message -> {
      JsonObject entry = message.body();
      if (proxy != null && !proxy.equals(entry.getString("proxy_id"))) {
        return;
      }
      if (response.writeQueueFull()) {
        missed[0]++;
        return;
      }
      if (missed[0] > 0) {
        response.write("event: dropped\ndata: {\"missed\":" + missed[0] + "}\n\n");
        missed[0] = 0;
      }
      response.write("data: " + entry.encode() + "\n\n");
    });
    long ping = vertx.setPeriodic(SSE_PING_MS, id -> response.write(": ping\n\n"));
    response.closeHandler(v -> {
      consumer.unregister();
      vertx.cancelTimer(ping);
    });
  }

  private LogQuery query(MultiMap params) {
    String cache = single(params, "cache");
    if (cache != null) {
      String upper = cache.toUpperCase(Locale.ROOT);
      if (!CACHE_STATUSES.contains(upper) && !upper.equals("NONE")) {
        throw invalid("cache", "must be HIT, MISS, BYPASS or none (cache off), got \"" + cache + "\"");
      }
      cache = upper.equals("NONE") ? LogQuery.NONE : upper;
    }
    String cursor = single(params, "cursor");
    LogQuery.Cursor after = null;
    if (cursor != null) {
      try {
        after = LogQuery.Cursor.parse(cursor);
      } catch (IllegalArgumentException e) {
        throw invalid("cursor", e.getMessage() + " (pass next_cursor from the previous page)");
      }
    }
    Long from = time("from", single(params, "from"));
    Long to = time("to", single(params, "to"));
    if (from != null && to != null && from >= to) {
      throw invalid("to", "must be after from");
    }
    return new LogQuery(single(params, "proxy"), from, to, statuses(single(params, "status")), single(params, "model"),
        cache, fault(single(params, "fault")), after, null);
  }

  /** A strategy id, {@code any} or {@code none}; a typo would otherwise match nothing, silently. */
  private String fault(String raw) {
    if (raw == null || raw.equals(LogQuery.ANY) || raw.equals(LogQuery.NONE)) {
      return raw;
    }
    List<String> known = strategies.get();
    if (!known.contains(raw)) {
      throw invalid("fault", "must be a fault strategy (" + String.join(", ", known) + "), any or none; got \""
          + Echo.cap(raw) + "\"");
    }
    return raw;
  }

  private static List<String> statuses(String raw) {
    List<String> statuses = new ArrayList<>();
    if (raw == null) {
      return statuses;
    }
    for (String part : raw.split(",")) {
      String status = part.trim().toLowerCase(Locale.ROOT);
      if (!STATUS.matcher(status).matches()) {
        throw invalid("status", "must be HTTP statuses (429) or classes (5xx), comma-separated; got \"" + part.trim()
            + "\"");
      }
      statuses.add(status);
    }
    return statuses;
  }

  private static Long time(String name, String raw) {
    if (raw == null) {
      return null;
    }
    if (raw.chars().allMatch(Character::isDigit) && !raw.isEmpty() && raw.length() < 19) {
      return Long.parseLong(raw);
    }
    try {
      return Instant.parse(raw).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw invalid(name, "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, or epoch milliseconds; got \""
          + raw + "\"");
    }
  }

  private static int limit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid("limit", "must be an integer from 1 to " + MAX_LIMIT + ", got \"" + raw + "\"");
  }

  private static void checkNames(MultiMap params, Set<String> known) {
    for (String name : params.names()) {
      if (!known.contains(name)) {
        throw invalid(name, "unknown parameter; this endpoint takes " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** The parameter's value, null when absent or empty; refused when given twice. */
  private static String single(MultiMap params, String name) {
    List<String> values = params.getAll(name);
    if (values.size() > 1) {
      throw invalid(name, "given " + values.size() + " times; give it once");
    }
    return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
  }

  private static Responses.BadRequest invalid(String field, String message) {
    return new Responses.BadRequest(field, field + ": " + message);
  }
}
