package dev.faultline.metrics;

import java.util.Arrays;
import java.util.Optional;

/** The rolling windows metrics are kept for; each is 60 slots wide. */
public enum Window {
  ONE_MINUTE("1m", 1_000),
  FIFTEEN_MINUTES("15m", 15_000),
  ONE_HOUR("1h", 60_000);

  static final int SLOTS = 60;

  private final String label;
  private final long slotMillis;

  Window(String label, long slotMillis) {
    this.label = label;
    this.slotMillis = slotMillis;
  }

  /** {@code 1m}, {@code 15m} or {@code 1h}. */
  public String label() {
    return label;
  }

  long slotMillis() {
    return slotMillis;
  }

  long seconds() {
    return slotMillis * SLOTS / 1000;
  }

  public static Optional<Window> parse(String label) {
    return Arrays.stream(values()).filter(w -> w.label.equals(label)).findFirst();
  }
}
