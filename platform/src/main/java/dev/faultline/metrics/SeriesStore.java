package dev.faultline.metrics;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-step counts, exact latency percentiles, fault windows and annotations over a
 * {@link SeriesRange}, read from {@code log_entries} and {@code audit} (the pool runs every
 * statement on a worker). SQLite does the grouping and ranking, so what crosses into Java is a
 * few rows per step however busy the window was; the rolling metrics' histograms keep no
 * history, so the percentiles come from the rows themselves (nearest rank).
 */
final class SeriesStore {

  /** What a step counts; errors are 4xx/5xx answers, requests that got none, and streams that broke after a 2xx. */
  private static final String COUNTS = "SELECT (ts - ?) / ? AS b, status, COUNT(*), "
      + "SUM(COALESCE(total_tokens, COALESCE(prompt_tokens, 0) + COALESCE(completion_tokens, 0))), "
      + "CAST(SUM(COALESCE(cost_usd, 0)) AS TEXT), SUM(CASE WHEN cache_status = 'HIT' THEN 1 ELSE 0 END), "
      + "SUM(CASE WHEN fault IS NOT NULL THEN 1 ELSE 0 END), "
      + "SUM(CASE WHEN status >= 400 OR status < 100 OR error_type IS NOT NULL THEN 1 ELSE 0 END) "
      + "FROM log_entries WHERE %s GROUP BY b, status";
  /** Only the rows at the 50th, 95th and 99th rank of each step leave the database. */
  private static final String PERCENTILES = "SELECT b, rn, n, CAST(l AS TEXT) FROM ("
      + "SELECT b, l, ROW_NUMBER() OVER (PARTITION BY b ORDER BY l) AS rn, COUNT(*) OVER (PARTITION BY b) AS n FROM ("
      + "SELECT (ts - ?) / ? AS b, latency_ms AS l FROM log_entries WHERE %s AND latency_ms IS NOT NULL) AS steps) AS ranked "
      + "WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 95 + 99) / 100 OR rn = (n * 99 + 99) / 100";
  private static final String FAULTS = "SELECT proxy_id, (ts - ?) / ? AS b, fault FROM log_entries "
      + "WHERE %s AND fault IS NOT NULL GROUP BY proxy_id, b, fault ORDER BY proxy_id, b";
  /** The changes worth a mark on a chart's time axis; a busy window shows the latest ones. */
  private static final String ANNOTATIONS = "SELECT ts, target_id, action, actor_id, actor_email FROM audit "
      + "WHERE target_type = 'proxy' AND ts >= ? AND ts < ? "
      + "AND (action LIKE 'proxy.%%' OR action LIKE 'faults.%%' OR action LIKE 'cache.%%')%s "
      + "ORDER BY ts DESC, id DESC LIMIT " + SeriesJson.MAX_ANNOTATIONS;

  private final Pool pool;

  SeriesStore(Database database) {
    this.pool = database.pool();
  }

  /**
   * The series of the proxies {@code proxyIds} ({@code null}: every row, for an admin), as
   * {@code GET /api/metrics/series} answers it.
   *
   * @param viewer whose eyes the annotations are for: actors other than the viewer are named to admins only
   */
  Future<JsonObject> series(SeriesRange range, List<String> proxyIds, SeriesJson.Viewer viewer) {
    SeriesJson json = new SeriesJson(range, viewer);
    if (proxyIds != null && proxyIds.isEmpty()) {
      return Future.succeededFuture(json.toJson());
    }
    Future<Void> counts = query(COUNTS, range, proxyIds, "ts").onSuccess(json::counts).mapEmpty();
    Future<Void> percentiles = query(PERCENTILES, range, proxyIds, "ts").onSuccess(json::percentiles).mapEmpty();
    Future<Void> faults = query(FAULTS, range, proxyIds, "ts").onSuccess(json::faults).mapEmpty();
    Future<Void> annotations = annotations(range, proxyIds).onSuccess(json::annotations).mapEmpty();
    return Future.all(counts, percentiles, faults, annotations).map(done -> json.toJson());
  }

  private Future<RowSet<Row>> query(String template, SeriesRange range, List<String> proxyIds, String column) {
    List<Object> args = new ArrayList<>(List.of(range.from(), range.stepMillis(), range.from(), range.to()));
    String where = column + " >= ? AND " + column + " < ?" + in("proxy_id", proxyIds, args);
    return pool.preparedQuery(String.format(template, where)).execute(Tuple.wrap(args));
  }

  private Future<RowSet<Row>> annotations(SeriesRange range, List<String> proxyIds) {
    List<Object> args = new ArrayList<>(List.of(range.from(), range.to()));
    String sql = String.format(ANNOTATIONS, in("target_id", proxyIds, args));
    return pool.preparedQuery(sql).execute(Tuple.wrap(args));
  }

  /** {@code AND column IN (?, …)} with the ids added to {@code args}; nothing for every proxy. */
  private static String in(String column, List<String> ids, List<Object> args) {
    if (ids == null) {
      return "";
    }
    args.addAll(ids);
    return " AND " + column + " IN (" + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")";
  }
}
