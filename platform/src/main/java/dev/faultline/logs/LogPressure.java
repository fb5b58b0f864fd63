package dev.faultline.logs;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the log writer has fallen behind, so that the proxies hold new requests instead of
 * their entries being dropped. The writer turns it on at a full queue and off once half of it is
 * written; a proxy asks it once per request (one volatile read while it is off) and, while it is
 * on, waits to be woken on its own event loop — or until its bound passes, so that a stuck
 * database slows the proxies without stopping them.
 */
public final class LogPressure {

  private final Vertx vertx;
  private final long maxWaitMillis;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private volatile boolean on;

  /** A held request: woken on the event loop it waits on. */
  private record Waiter(Context context, Promise<Void> promise) {
    void wake() {
      context.runOnContext(v -> promise.tryComplete());
    }
  }

  /** @param maxWaitMillis how long one request waits at most before it goes ahead anyway */
  public LogPressure(Vertx vertx, long maxWaitMillis) {
    this.vertx = vertx;
    this.maxWaitMillis = maxWaitMillis;
  }

  /** Completed while the writer keeps up; else completes once it caught up, or after the bound. */
  public Future<Void> ready() {
    return on ? await() : Future.succeededFuture();
  }

  /** Whether proxies are being held now. */
  public boolean on() {
    return on;
  }

  /** The writer's queue is full: hold new requests. */
  void hold() {
    on = true;
  }

  /** The writer caught up: let the held requests go, each on its own event loop. */
  void release() {
    if (!on) {
      return;
    }
    on = false;
    waiters.forEach(waiter -> {
      if (waiters.remove(waiter)) {
        waiter.wake();
      }
    });
  }

  private Future<Void> await() {
    Promise<Void> promise = Promise.promise();
    Waiter waiter = new Waiter(vertx.getOrCreateContext(), promise);
    waiters.add(waiter);
    long timer = vertx.setTimer(maxWaitMillis, id -> {
      waiters.remove(waiter);
      promise.tryComplete();
    });
    promise.future().onComplete(done -> vertx.cancelTimer(timer));
    // Released between the read above and the add: nobody will wake this one.
    if (!on && waiters.remove(waiter)) {
      promise.tryComplete();
    }
    return promise.future();
  }
}
