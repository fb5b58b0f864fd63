package dev.faultline.logs;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of this node's log rows. Takes the entries of this node's requests from the
 * {@link LogFeed} (in a cluster, the other nodes write theirs) into a bounded
 * queue and inserts them in batches, one transaction each, on a worker thread; while a batch is
 * written the next one gathers, and a small one waits until 10 ms after the last began, so a
 * burst or a steady load costs few transactions. At a full queue, either the
 * proxies are held ({@link LogPressure}) until half of it is written — the entries of requests
 * already in flight still queue, up to {@value #OVERSHOOT} more — or, in drop mode, new entries
 * are dropped and counted. A batch that keeps failing is counted and given up. Old rows are
 * pruned in the background.
 */
public final class LogWriterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LogWriterVerticle.class);
  /**
   * Rows per transaction at most. 2,000 rather than 1,000: behind a backlog half as many round
   * trips between the event loop and the worker and half as many commits, about 7% more rows/s
   * in A/B runs of LogWriterBench (4,000 gained nothing more).
   */
  private static final int BATCH = 2_000;
  private static final int ATTEMPTS = 5;
  private static final long GATHER_MS = 10;
  private static final long FIRST_RETRY_MS = 100;
  private static final long PRUNE_EVERY_MS = Duration.ofMinutes(1).toMillis();
  private static final long FIRST_PRUNE_MS = Duration.ofSeconds(1).toMillis();
  private static final long STOP_GRACE_MS = 10_000;
  /** Rows written between two checkpoints of SQLite's WAL: about the 1,000 pages SQLite itself waits for. */
  static final int CHECKPOINT_EVERY_ROWS = 10_000;
  /**
   * Entries queued beyond a full queue while the proxies are held: those of the requests that were
   * already in flight. More means the database is stuck and the proxies waited out their bound;
   * those are dropped, so that memory stays bounded.
   */
  static final int OVERSHOOT = 10_000;

  private final LogFeed feed;
  private final DataSource source;
  private final int capacity;
  private final int retentionDays;
  private final long retentionRows;
  private final LogStats stats = new LogStats();
  private final LogPressure pressure;
  private final int limit;
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private LogSink sink;
  private LogFeed.Subscription subscription;
  private boolean writing;
  private boolean pruning;
  /** When the last batch began to be written. */
  private long lastWriteAt;
  private boolean gatherTimer;
  /** From a checkpoint's start until its catch-up (see {@link #checkpoint}) is done. */
  private boolean checkpointing;
  /** Whether the next batch first checkpoints what came since the last checkpoint began. */
  private boolean catchUp;
  private int sinceCheckpoint;
  private int inFlight;
  /** When the oldest entry of the batch being written was queued. */
  private long inFlightSince;
  private int attempt;
  private Promise<Void> drained;

  /**
   * @param feed          where the entries come from
   * @param databaseFile  the migrated SQLite database file
   * @param capacity      entries that may wait to be written, the batch being written included
   * @param retentionDays rows older are pruned; 0 keeps all
   * @param retentionRows rows beyond the newest this many are pruned; 0 keeps all
   */
  public LogWriterVerticle(LogFeed feed, Path databaseFile, int capacity, int retentionDays, long retentionRows) {
    this(feed, Database.dedicatedDataSource(databaseFile), capacity, retentionDays, retentionRows, null, 0);
  }

  /**
   * @param source       the writer's own connections to the migrated database, SQLite or PostgreSQL
   * @param pressure     held at a full queue; {@code null} drops new entries instead
   * @param maxLagMillis the writer is reported behind beyond this; 0 never
   */
  public LogWriterVerticle(LogFeed feed, DataSource source, int capacity, int retentionDays, long retentionRows,
                           LogPressure pressure, long maxLagMillis) {
    this.feed = feed;
    this.source = source;
    this.capacity = capacity;
    this.retentionDays = retentionDays;
    this.retentionRows = retentionRows;
    this.pressure = pressure;
    this.limit = pressure == null ? capacity : capacity + OVERSHOOT;
    stats.onOverflow = pressure == null ? "drop" : "backpressure";
    stats.maxLagMillis = maxLagMillis;
  }

  /** A queued entry and when it came. */
  private record Queued(LogEntry entry, long at) {
  }

  /** Counts of what was written, dropped and failed; safe to read from any thread. */
  public LogStats stats() {
    return stats;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> LogSink.open(source)).compose(opened -> {
      sink = opened;
      subscription = feed.subscribe(context, this::offer);
      if (retentionDays > 0 || retentionRows > 0) {
        vertx.setTimer(FIRST_PRUNE_MS, id -> prune());
        vertx.setPeriodic(PRUNE_EVERY_MS, id -> prune());
      }
      return Future.succeededFuture();
    });
  }

  /** Stops taking entries, writes what waits (for a while at most), then closes the connection. */
  @Override
  public Future<?> stop() {
    // Takes what was handed over but not delivered yet; nothing more will come.
    subscription.cancel();
    // Whoever is held goes ahead.
    relieve();
    return allWritten().eventually(() -> vertx.executeBlocking(() -> {
      sink.close();
      return null;
    }));
  }

  /** Completes once every queued entry is written, or after {@value #STOP_GRACE_MS} ms at most. */
  private Future<Void> allWritten() {
    if (!writing && queue.isEmpty()) {
      return Future.succeededFuture();
    }
    drained = Promise.promise();
    return drained.future().timeout(STOP_GRACE_MS, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.warn("Stopped with {} log entries unwritten", queue.size() + inFlight))
        .otherwiseEmpty();
  }

  private void offer(List<LogEntry> entries) {
    stats.received.addAndGet(entries.size());
    long now = System.currentTimeMillis();
    for (LogEntry entry : entries) {
      int waiting = queue.size() + inFlight;
      if (waiting >= limit) {
        stats.dropped.incrementAndGet();
        stats.lastDropAt = now;
        continue;
      }
      queue.add(new Queued(entry, now));
      // Holding callers helps a writer that is slow, not one the database refuses (disk full,
      // read-only, locked): those entries are lost either way, and the proxies keep full speed.
      if (pressure != null && waiting + 1 >= capacity && !stats.holding && !stats.failing()) {
        stats.holding = true;
        stats.holds++;
        pressure.hold();
      }
    }
    gauges();
    write();
  }

  /** Pending count and lag, for readers on other threads. */
  private void gauges() {
    stats.pending = queue.size() + inFlight;
    Queued oldest = queue.peek();
    stats.oldestQueuedAt = inFlight > 0 ? inFlightSince : oldest == null ? 0 : oldest.at();
  }

  /** Lets the held proxies go once half the queue is written (at once would hold them again at the next burst). */
  private void relieveIfDrained() {
    if (stats.holding && queue.size() + inFlight <= capacity / 2) {
      relieve();
    }
  }

  private void relieve() {
    if (pressure != null) {
      stats.holding = false;
      pressure.release();
    }
  }

  private void write() {
    if (writing) {
      return;
    }
    if (queue.isEmpty()) {
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    if (gathering()) {
      return;
    }
    lastWriteAt = System.currentTimeMillis();
    writing = true;
    List<LogEntry> batch = new ArrayList<>(Math.min(queue.size(), BATCH));
    inFlightSince = queue.peek().at();
    while (batch.size() < BATCH && !queue.isEmpty()) {
      batch.add(queue.poll().entry());
    }
    inFlight = batch.size();
    boolean catchUpFirst = catchUp;
    catchUp = false;
    vertx.executeBlocking(() -> {
      if (catchUpFirst) {
        sink.checkpoint();
      }
      sink.insert(batch);
      return null;
    }).onComplete(result -> {
      if (catchUpFirst) {
        checkpointing = false;
      }
      if (result.succeeded()) {
        written(batch);
      } else if (++attempt < ATTEMPTS) {
        retryLater(batch, result.cause());
        return;
      } else {
        givenUp(batch, result.cause());
      }
      writing = false;
      inFlight = 0;
      gauges();
      relieveIfDrained();
      write();
    });
  }

  /**
   * Whether to let a small batch grow for the rest of {@value #GATHER_MS} ms since the last write
   * began (a timer then writes it): under steady load the writer was writing a transaction per
   * millisecond or so, and each transaction's own cost was about a third of the rows'. Never when
   * a whole batch waits, nor at stop.
   */
  private boolean gathering() {
    long since = System.currentTimeMillis() - lastWriteAt;
    if (queue.size() >= BATCH || drained != null || since >= GATHER_MS) {
      return false;
    }
    if (!gatherTimer) {
      gatherTimer = true;
      vertx.setTimer(GATHER_MS - since, id -> {
        gatherTimer = false;
        write();
      });
    }
    return true;
  }

  private void written(List<LogEntry> batch) {
    stats.written.addAndGet(batch.size());
    sinceCheckpoint += batch.size();
    if (sinceCheckpoint >= CHECKPOINT_EVERY_ROWS && !checkpointing) {
      checkpoint();
    }
    if (stats.failingSince != 0) {
      LOG.info("Log writes succeed again");
    }
    stats.failingSince = 0;
    attempt = 0;
  }

  /** Puts the batch back in front and tries again after a doubling pause; the queue fills meanwhile. */
  private void retryLater(List<LogEntry> batch, Throwable error) {
    failing(error);
    for (int i = batch.size() - 1; i >= 0; i--) {
      queue.addFirst(new Queued(batch.get(i), inFlightSince));
    }
    inFlight = 0;
    vertx.setTimer(FIRST_RETRY_MS << (attempt - 1), id -> {
      writing = false;
      write();
    });
  }

  private void givenUp(List<LogEntry> batch, Throwable error) {
    failing(error);
    stats.failed.addAndGet(batch.size());
    LOG.error("Gave up writing {} log entries after {} attempts: {}", batch.size(), ATTEMPTS, error.getMessage());
    attempt = 0;
  }

  private void failing(Throwable error) {
    if (stats.failingSince == 0) {
      stats.failingSince = System.currentTimeMillis();
      LOG.warn("Log writes fail, retrying: {}", error.getMessage());
    }
    if (stats.holding) {
      relieve();
    }
    stats.lastError = String.valueOf(error.getMessage());
  }

  /**
   * Copies the WAL back on a worker of its own (unordered), beside the next batches' inserts;
   * then, before the next batch, what those appended meanwhile, a short copy with no insert
   * running. Only a WAL copied back whole is started over by the next insert: without the
   * catch-up a log under constant load grew its WAL without end.
   */
  private void checkpoint() {
    checkpointing = true;
    sinceCheckpoint = 0;
    vertx.executeBlocking(() -> {
      sink.checkpoint();
      return null;
    }, false)
        .onFailure(e -> LOG.warn("Checkpointing the log's WAL failed: {}", e.getMessage()))
        .onComplete(r -> {
          catchUp = true;
          // Nothing waits to be written: the catch-up comes with the next batch, whenever it comes.
        });
  }

  /** Deletes what the retention no longer keeps, on the writer's connection, between batches. */
  private void prune() {
    if (pruning) {
      return;
    }
    pruning = true;
    long cutoff = System.currentTimeMillis() - Duration.ofDays(retentionDays).toMillis();
    vertx.executeBlocking(() -> (retentionDays > 0 ? sink.pruneOlderThan(cutoff) : 0)
            + (retentionRows > 0 ? sink.pruneBeyond(retentionRows) : 0))
        .onSuccess(deleted -> {
          if (deleted > 0) {
            LOG.info("Pruned {} log entries (retention: {} days, {} rows)", deleted, retentionDays, retentionRows);
          }
        })
        .onFailure(e -> LOG.warn("Pruning the log failed: {}", e.getMessage()))
        .onComplete(r -> pruning = false);
  }
}
