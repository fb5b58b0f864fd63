package dev.faultline.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one upstream call per cache key at a time. The first miss on a key leads: it calls the
 * upstream and {@link Turn#share shares} what it stored. Identical misses that arrive meanwhile
 * follow: they wait and are answered from that entry, or, when the leader got nothing storable
 * ({@link Turn#pass}), try again, and one of them leads. Shared by every event loop of every proxy.
 * Per node: in a cluster, identical calls that reach different nodes at once each go upstream
 * (the entry the first one stores then answers every node).
 */
final class Coalescer {

  private final Map<String, Promise<CacheEntry>> inFlight = new ConcurrentHashMap<>();

  /** Joins the call for {@code key}: leads it when nobody does, else follows the leader. */
  Turn join(String key) {
    Promise<CacheEntry> mine = Promise.promise();
    Promise<CacheEntry> leader = inFlight.putIfAbsent(key, mine);
    if (leader == null) {
      return new Turn(this, key, mine, null);
    }
    // The leader may finish on another proxy's event loop; the follower resumes on its own.
    Context context = Vertx.currentContext();
    Future<CacheEntry> outcome = context == null ? leader.future()
        : Future.future(p -> leader.future().onComplete(result -> context.runOnContext(v -> p.handle(result))));
    return new Turn(this, key, null, outcome);
  }

  /**
   * A request's part in the call for one key. A leader must end its turn exactly once, with
   * {@link #share} or {@link #pass}; a follower waits on {@link #outcome}.
   */
  static final class Turn {

    /** For a request that does not coalesce (it refreshes the entry): nobody waits on it. */
    static final Turn NONE = new Turn(null, null, Promise.promise(), null);

    private final Coalescer owner;
    private final String key;
    private final Promise<CacheEntry> promise;
    private final Future<CacheEntry> outcome;

    private Turn(Coalescer owner, String key, Promise<CacheEntry> promise, Future<CacheEntry> outcome) {
      this.owner = owner;
      this.key = key;
      this.promise = promise;
      this.outcome = outcome;
    }

    boolean leader() {
      return promise != null;
    }

    /** For a follower: the entry the leader stored, or {@code null} when it stored none. */
    Future<CacheEntry> outcome() {
      return outcome;
    }

    /** The leader stored {@code entry}: followers are answered from it. */
    void share(CacheEntry entry) {
      end(entry);
    }

    /** The leader got nothing storable: followers try again. */
    void pass() {
      end(null);
    }

    private void end(CacheEntry entry) {
      if (owner != null) {
        owner.inFlight.remove(key, promise);
        promise.tryComplete(entry);
      }
    }
  }
}
