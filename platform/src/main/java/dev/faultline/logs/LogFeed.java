package dev.faultline.logs;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands this node's log entries to the consumers inside this process that must see every one
 * of them (the log writer, the metrics), each on its own context and in batches.
 *
 * <p>Why not the event bus: a delivery there is one task per entry and consumer on another event
 * loop, each a wake-up of its thread (a system call on the proxy's event loop); at saturation
 * those hops were a tenth of a proxied request's cost. Here an idle consumer is woken by the
 * first entry only; while entries keep coming it is not woken at all but comes back by itself
 * every {@value #BUSY_PAUSE_MS} ms for all that came meanwhile, so the busier the proxies, the
 * larger the batches. The bus still carries each entry to those who subscribe to
 * {@value LogListener#ADDRESS} from outside.
 */
public final class LogFeed {

  /** How long a busy consumer lets entries gather before it takes them. */
  static final long BUSY_PAUSE_MS = 1;

  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

  /** From any thread: queues the entry for every subscriber. */
  public void offer(LogEntry entry) {
    for (Subscription subscription : subscriptions) {
      subscription.offer(entry);
    }
  }

  /**
   * Every entry offered from now on reaches {@code consumer}, in order, on {@code context}, in
   * batches of one or more.
   */
  public Subscription subscribe(Context context, Consumer<List<LogEntry>> consumer) {
    Subscription subscription = new Subscription(context, consumer);
    subscriptions.add(subscription);
    return subscription;
  }

  /** One consumer's queue. */
  public final class Subscription {

    private final Context context;
    private final Consumer<List<LogEntry>> consumer;
    private final ConcurrentLinkedQueue<LogEntry> queue = new ConcurrentLinkedQueue<>();
    /**
     * Whether the consumer will drain without being woken (a drain is on its way, or it is busy
     * and comes back by itself): offers meanwhile only queue.
     */
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private Subscription(Context context, Consumer<List<LogEntry>> consumer) {
      this.context = context;
      this.consumer = consumer;
    }

    private void offer(LogEntry entry) {
      queue.add(entry);
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> drain());
      }
    }

    private void drain() {
      List<LogEntry> batch = takeAll();
      if (batch.isEmpty()) {
        scheduled.set(false);
        // An entry queued between the poll and the line above found the flag still set.
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
          drain();
        }
        return;
      }
      consumer.accept(batch);
      // Busy: the flag stays set, so the producers need not wake this thread; it looks again soon.
      context.owner().setTimer(BUSY_PAUSE_MS, id -> drain());
    }

    private List<LogEntry> takeAll() {
      List<LogEntry> batch = new ArrayList<>();
      for (LogEntry entry = queue.poll(); entry != null; entry = queue.poll()) {
        batch.add(entry);
      }
      return batch;
    }

    /**
     * Takes no more entries and hands over, on the calling thread (the subscriber's context),
     * those that were queued and not yet delivered.
     */
    public void cancel() {
      subscriptions.remove(this);
      List<LogEntry> rest = takeAll();
      if (!rest.isEmpty()) {
        consumer.accept(rest);
      }
    }
  }
}
