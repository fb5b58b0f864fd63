package dev.faultline.store;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Runs an asynchronous step page after page until it says there is no page left.
 *
 * <p>Why not {@code page().compose(v -> next())}: each page would wrap the rest in one more
 * future, and completing the last one unwinds them all on one stack; a long enough export (or
 * any long loop) dies of a {@link StackOverflowError} and its future never completes.
 */
public final class Paging {

  private Paging() {
  }

  /**
   * Calls {@code step} until its future yields {@code false}; fails with the first step that
   * fails. Steps run one after another, never two at once.
   */
  public static Future<Void> untilLast(Supplier<Future<Boolean>> step) {
    Promise<Void> done = Promise.promise();
    run(step, done);
    return done.future();
  }

  private static void run(Supplier<Future<Boolean>> step, Promise<Void> done) {
    // Steps that complete at once loop here rather than recurse.
    while (true) {
      Future<Boolean> more = step.get();
      if (!more.isComplete()) {
        more.onComplete(result -> {
          if (goOn(result, done)) {
            run(step, done);
          }
        });
        return;
      }
      if (!goOn(more, done)) {
        return;
      }
    }
  }

  /** Whether to take the next page; otherwise ends {@code done}. */
  private static boolean goOn(AsyncResult<Boolean> result, Promise<Void> done) {
    if (result.failed()) {
      done.fail(result.cause());
      return false;
    }
    if (!Boolean.TRUE.equals(result.result())) {
      done.complete();
      return false;
    }
    return true;
  }
}
