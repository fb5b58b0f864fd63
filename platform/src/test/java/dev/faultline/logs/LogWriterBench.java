package dev.faultline.logs;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The log writer's sustained rate into SQLite: entries as the listener makes them are handed to
 * it through the {@link LogFeed} as fast as the writer's queue takes them, for a fixed number of rows, into a fresh
 * database file. Run by {@code bench/logs.sh}; prints one {@code WRITER rows=… seconds=… rows_per_s=…} line.
 *
 * <p>Arguments: rows to write (default 300000), rounds (default 5). Each round's file is deleted after it.
 */
public final class LogWriterBench {

  private LogWriterBench() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Vertx vertx = Vertx.vertx();
    try {
      for (int round = 1; round <= rounds; round++) {
        Path dir = Files.createTempDirectory("faultline-writer-bench");
        Database database = Database.open(vertx, dir.resolve("faultline.db")).await(60, TimeUnit.SECONDS);
        LogFeed feed = new LogFeed();
        LogWriterVerticle writer = new LogWriterVerticle(feed, database.file(), 50_000, 0, 0);
        String deployment = vertx.deployVerticle(writer).await(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        publish(vertx, feed, writer.stats(), rows).await(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        LogStats stats = writer.stats();
        System.out.printf("WRITER round=%d rows=%d seconds=%.2f rows_per_s=%.0f dropped=%d failed=%d%n", round,
            stats.written(), seconds, stats.written() / seconds, stats.dropped(), stats.failed());
        vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
        database.close().await(60, TimeUnit.SECONDS);
        delete(dir);
      }
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }

  /** Each round's file is some 80 MB: left behind, they piled up in /tmp by the gigabyte. */
  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** Hands over {@code rows} entries, never more than the queue holds, and completes when all are written. */
  private static Future<Void> publish(Vertx vertx, LogFeed feed, LogStats stats, int rows) {
    Promise<Void> done = Promise.promise();
    long[] sent = {0};
    long base = System.currentTimeMillis();
    vertx.setPeriodic(1, id -> {
      // Every entry not yet written, dropped or failed, wherever it waits: the feed hands the
      // writer what came in a whole batch at once, so its own pending count lags behind.
      while (sent[0] < rows && sent[0] - stats.written() - stats.dropped() - stats.failed() < 40_000) {
        feed.offer(entry(base + sent[0]++));
      }
      if (stats.written() + stats.dropped() + stats.failed() >= rows) {
        vertx.cancelTimer(id);
        done.complete();
      }
    });
    return done.future();
  }

  /** An entry shaped like a real chat completion's. */
  private static LogEntry entry(long ts) {
    LogEntry entry = new LogEntry();
    entry.ts = ts;
    entry.proxyId = "prx_0123456789ab";
    entry.requestId = "req_" + Long.toHexString(ts) + "0123456789abcdef0123";
    entry.clientIp = "127.0.0.1";
    entry.method = "POST";
    entry.path = "/v1/chat/completions";
    entry.model = "gpt-4o-mini";
    entry.status = 200;
    entry.outcome = "completed";
    entry.latencyMs = 1.234;
    entry.ttfbMs = 1.1;
    entry.upstreamMs = 0.9;
    entry.promptTokens = 28L;
    entry.completionTokens = 39L;
    entry.totalTokens = 67L;
    entry.cachedTokens = 0L;
    entry.costUsd = 0.0000276;
    entry.costSource = "price_table";
    entry.bytesIn = 170;
    entry.bytesOut = 612;
    return entry;
  }
}
