package dev.faultline.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * One window's 60 time slots, aligned on the clock (slot {@code n} covers
 * {@code [n * slot, (n + 1) * slot)} in epoch milliseconds). A slot older than the window is
 * reused for the current time; reading sums the slots still inside the window.
 */
final class RollingWindow {

  private final Window window;
  private final Aggregate[] slots = new Aggregate[Window.SLOTS];
  private final long[] slotNumbers = new long[Window.SLOTS];

  RollingWindow(Window window) {
    this.window = window;
    Arrays.fill(slotNumbers, Long.MIN_VALUE);
  }

  void add(Sample sample, long now) {
    slotFor(now / window.slotMillis()).add(sample);
  }

  /** The sum of the slots within the window that ends at {@code now}. */
  Aggregate sum(long now) {
    long current = now / window.slotMillis();
    Aggregate total = new Aggregate();
    for (int i = 0; i < Window.SLOTS; i++) {
      if (live(slotNumbers[i], current)) {
        total.merge(slots[i]);
      }
    }
    return total;
  }

  /** Whether anything was recorded within the window that ends at {@code now}. */
  boolean active(long now) {
    long current = now / window.slotMillis();
    for (long n : slotNumbers) {
      if (live(n, current)) {
        return true;
      }
    }
    return false;
  }

  /** The live slots as {@code [{"n": slot number, "a": aggregate}, …]}. */
  JsonArray toJson(long now) {
    long current = now / window.slotMillis();
    JsonArray saved = new JsonArray();
    for (int i = 0; i < Window.SLOTS; i++) {
      if (live(slotNumbers[i], current)) {
        saved.add(new JsonObject().put("n", slotNumbers[i]).put("a", slots[i].toJson()));
      }
    }
    return saved;
  }

  /** Puts saved slots back, skipping those that have left the window since. */
  void restore(JsonArray saved, long now) {
    long current = now / window.slotMillis();
    for (Object item : saved) {
      JsonObject slot = (JsonObject) item;
      long n = slot.getLong("n");
      if (live(n, current)) {
        slotFor(n).merge(Aggregate.fromJson(slot.getJsonObject("a")));
      }
    }
  }

  private Aggregate slotFor(long slotNumber) {
    int i = (int) Math.floorMod(slotNumber, Window.SLOTS);
    if (slotNumbers[i] != slotNumber) {
      slots[i] = new Aggregate();
      slotNumbers[i] = slotNumber;
    }
    return slots[i];
  }

  private static boolean live(long slotNumber, long current) {
    return slotNumber <= current && slotNumber > current - Window.SLOTS;
  }
}
