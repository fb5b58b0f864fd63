package dev.faultline.logs;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The log writer's sustained rate into SQLite: entries as the listener makes them are published
 * on the bus as fast as the writer's queue takes them, for a fixed number of rows, into a fresh
 * database file. Run by {@code bench/logs.sh}; prints one {@code WRITER rows=… seconds=… rows_per_s=…} line.
 *
 * <p>Arguments: rows to write (default 300000), rounds (default 3).
 */
public final class LogWriterBench {

  private LogWriterBench() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Vertx vertx = Vertx.vertx();
    try {
      for (int round = 1; round <= rounds; round++) {
        Path dir = Files.createTempDirectory("faultline-writer-bench");
        Database database = Database.open(vertx, dir.resolve("faultline.db")).await(60, TimeUnit.SECONDS);
        LogWriterVerticle writer = new LogWriterVerticle(database.file(), 50_000, 0, 0);
        String deployment = vertx.deployVerticle(writer).await(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        publish(vertx, writer.stats(), rows).await(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        LogStats stats = writer.stats();
        System.out.printf("WRITER round=%d rows=%d seconds=%.2f rows_per_s=%.0f dropped=%d failed=%d%n", round,
            stats.written(), seconds, stats.written() / seconds, stats.dropped(), stats.failed());
        vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
        database.close().await(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** Publishes {@code rows} entries, never more than the queue holds, and completes when all are written. */
  private static Future<Void> publish(Vertx vertx, LogStats stats, int rows) {
    Promise<Void> done = Promise.promise();
    long[] sent = {0};
    long base = System.currentTimeMillis();
    vertx.setPeriodic(1, id -> {
      while (sent[0] < rows && stats.pending() + (sent[0] - stats.received()) < 40_000) {
        vertx.eventBus().publish(LogListener.ADDRESS, entry(base + sent[0]++));
      }
      if (stats.written() + stats.dropped() + stats.failed() >= rows) {
        vertx.cancelTimer(id);
        done.complete();
      }
    });
    return done.future();
  }

  /** An entry shaped like a real chat completion's. */
  private static JsonObject entry(long ts) {
    return new JsonObject().put("ts", Instant.ofEpochMilli(ts).toString()).put("proxy_id", "prx_0123456789ab")
        .put("request_id", "req_" + Long.toHexString(ts) + "0123456789abcdef0123").put("client_ip", "127.0.0.1")
        .put("method", "POST").put("path", "/v1/chat/completions").put("model", "gpt-4o-mini").put("stream", false)
        .put("status", 200).put("outcome", "completed").put("latency_ms", 1.234).put("ttfb_ms", 1.1)
        .put("upstream_ms", 0.9).putNull("cache_status").putNull("fault").putNull("error_type")
        .put("prompt_tokens", 28).put("completion_tokens", 39).put("total_tokens", 67).put("cached_tokens", 0)
        .put("usage_estimated", false).put("cost_usd", 0.0000276).put("cost_source", "price_table")
        .putNull("cost_saved_usd").put("bytes_in", 170).put("bytes_out", 612).putNull("request_body")
        .putNull("response_body");
  }
}
