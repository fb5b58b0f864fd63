package dev.faultline.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Builds the answer of {@code GET /api/metrics/series} from {@link SeriesStore}'s rows: every step, empty ones too. */
final class SeriesJson {

  static final int MAX_ANNOTATIONS = 500;
  private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
  private static final Map<String, String> WORDS = Map.ofEntries(
      Map.entry("proxy.create", "Proxy created"),
      Map.entry("proxy.update", "Settings changed"),
      Map.entry("proxy.delete", "Proxy deleted"),
      Map.entry("proxy.start", "Proxy started"),
      Map.entry("proxy.stop", "Proxy stopped"),
      Map.entry("faults.set", "Faults changed"),
      Map.entry("faults.clear", "Faults cleared"),
      Map.entry("cache.clear", "Cache cleared"),
      Map.entry("cache.delete", "Cache entry deleted"),
      Map.entry("cache.import", "Cassette imported"));

  /**
   * Who reads the series: an admin sees who made each change; anyone else sees their own name
   * only, as the audit trail shows them only their own entries.
   */
  record Viewer(String userId, boolean admin) {
  }

  private final SeriesRange range;
  private final Viewer viewer;
  private final long[] requests;
  private final long[][] classes;
  private final List<Map<Integer, Long>> statuses = new ArrayList<>();
  private final long[] errors;
  private final long[] tokens;
  private final double[] cost;
  private final long[] cacheHits;
  private final long[] faulted;
  private final Double[][] percentiles;
  private final JsonArray annotations = new JsonArray();
  private final JsonArray faultWindows = new JsonArray();

  SeriesJson(SeriesRange range, Viewer viewer) {
    this.range = range;
    this.viewer = viewer;
    int points = range.points();
    requests = new long[points];
    classes = new long[points][CLASSES.length];
    errors = new long[points];
    tokens = new long[points];
    cost = new double[points];
    cacheHits = new long[points];
    faulted = new long[points];
    percentiles = new Double[points][3];
    for (int i = 0; i < points; i++) {
      statuses.add(new TreeMap<>());
    }
  }

  /** Rows of (step, status, count, tokens, cost, cache hits, faulted, errors). */
  void counts(RowSet<Row> rows) {
    for (Row row : rows) {
      int i = step(row.getLong(0));
      if (i < 0) {
        continue;
      }
      int status = row.getInteger(1);
      long count = row.getLong(2);
      requests[i] += count;
      classes[i][status >= 100 && status < 600 ? status / 100 : 0] += count;
      statuses.get(i).merge(status, count, Long::sum);
      tokens[i] += number(row.getValue(3));
      cost[i] += row.getString(4) == null ? 0 : Double.parseDouble(row.getString(4));
      cacheHits[i] += number(row.getValue(5));
      faulted[i] += number(row.getValue(6));
      errors[i] += number(row.getValue(7));
    }
  }

  /** Rows of (step, rank, count, latency): the ranks are the nearest-rank p50, p95 and p99. */
  void percentiles(RowSet<Row> rows) {
    for (Row row : rows) {
      int i = step(row.getLong(0));
      if (i < 0) {
        continue;
      }
      long rank = row.getLong(1);
      long n = row.getLong(2);
      double latency = Double.parseDouble(row.getString(3));
      long[] wanted = {(n * 50 + 99) / 100, (n * 95 + 99) / 100, (n * 99 + 99) / 100};
      for (int p = 0; p < wanted.length; p++) {
        if (wanted[p] == rank) {
          percentiles[i][p] = latency;
        }
      }
    }
  }

  /** Rows of (proxy, step, fault) ordered by proxy and step: runs of consecutive steps become windows. */
  void faults(RowSet<Row> rows) {
    String proxy = null;
    int first = -1;
    int last = -1;
    Set<String> strategies = new TreeSet<>();
    for (Row row : rows) {
      String rowProxy = row.getString(0);
      int i = step(row.getLong(1));
      if (i < 0) {
        continue;
      }
      if (proxy != null && (!proxy.equals(rowProxy) || i > last + 1)) {
        faultWindow(proxy, first, last, strategies);
        strategies = new TreeSet<>();
        first = i;
      } else if (proxy == null) {
        first = i;
      }
      proxy = rowProxy;
      last = i;
      // One request may carry several faults, comma-separated in the order they acted.
      strategies.addAll(Arrays.asList(row.getString(2).split(",")));
    }
    if (proxy != null) {
      faultWindow(proxy, first, last, strategies);
    }
  }

  private void faultWindow(String proxy, int first, int last, Set<String> strategies) {
    boolean ongoing = last == range.points() - 1;
    faultWindows.add(new JsonObject()
        .put("from", range.stepStart(first))
        .put("to", ongoing ? null : range.stepStart(last + 1))
        .put("proxy", proxy)
        .put("strategies", new JsonArray(new ArrayList<>(strategies))));
  }

  /** Rows of (ts, proxy, action, actor id, actor email), newest first. */
  void annotations(RowSet<Row> rows) {
    List<JsonObject> marks = new ArrayList<>();
    for (Row row : rows) {
      String action = row.getString(2);
      String actor = row.getString(3);
      String text = WORDS.getOrDefault(action, action);
      if (row.getString(4) != null && (viewer.admin() || viewer.userId().equals(actor))) {
        text += " by " + row.getString(4);
      }
      marks.add(new JsonObject().put("t", row.getLong(0)).put("proxy", row.getString(1)).put("kind", action)
          .put("text", text));
    }
    for (int i = marks.size() - 1; i >= 0; i--) {
      annotations.add(marks.get(i));
    }
  }

  JsonObject toJson() {
    JsonArray points = new JsonArray();
    double seconds = range.stepMillis() / 1000.0;
    for (int i = 0; i < range.points(); i++) {
      JsonObject statusClasses = new JsonObject();
      for (int c = 0; c < CLASSES.length; c++) {
        if (c != 1 || classes[i][c] > 0) {
          statusClasses.put(CLASSES[c], classes[i][c]);
        }
      }
      JsonObject byStatus = new JsonObject();
      statuses.get(i).forEach((status, count) -> byStatus.put(String.valueOf(status), count));
      points.add(new JsonObject()
          .put("t", range.stepStart(i))
          .put("requests", requests[i])
          .put("rate", Math.round(requests[i] / seconds * 1000) / 1000.0)
          .put("status_classes", statusClasses)
          .put("statuses", byStatus)
          .put("errors", errors[i])
          .put("p50_ms", percentiles[i][0])
          .put("p95_ms", percentiles[i][1])
          .put("p99_ms", percentiles[i][2])
          .put("tokens", tokens[i])
          .put("cost_usd", cost[i])
          .put("cache_hits", cacheHits[i])
          .put("faulted", faulted[i]));
    }
    return new JsonObject()
        .put("window", range.label())
        .put("step_seconds", range.stepMillis() / 1000)
        .put("from", range.from())
        .put("to", range.to())
        .put("points", points)
        .put("annotations", annotations)
        .put("fault_windows", faultWindows);
  }

  private int step(Long bucket) {
    return bucket == null || bucket < 0 || bucket >= range.points() ? -1 : bucket.intValue();
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }
}
