package dev.faultline.logs;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The fields of a log entry, in the order they are shown and exported. Each is a key of the
 * entry's JSON (on {@code faultline.log}, in the API) and a column of {@code log_entries} of the
 * same name.
 */
public enum LogField {
  TS("ts", Kind.TIME),
  PROXY_ID("proxy_id", Kind.TEXT),
  REQUEST_ID("request_id", Kind.TEXT),
  CLIENT_IP("client_ip", Kind.TEXT),
  METHOD("method", Kind.TEXT),
  PATH("path", Kind.TEXT),
  MODEL("model", Kind.TEXT),
  STREAM("stream", Kind.BOOLEAN),
  STATUS("status", Kind.INTEGER),
  OUTCOME("outcome", Kind.TEXT),
  LATENCY_MS("latency_ms", Kind.REAL),
  TTFB_MS("ttfb_ms", Kind.REAL),
  UPSTREAM_MS("upstream_ms", Kind.REAL),
  CACHE_STATUS("cache_status", Kind.TEXT),
  FAULT("fault", Kind.TEXT),
  ERROR_TYPE("error_type", Kind.TEXT),
  ERROR_MESSAGE("error_message", Kind.TEXT),
  RETRY_AFTER("retry_after", Kind.TEXT),
  PROMPT_TOKENS("prompt_tokens", Kind.INTEGER),
  COMPLETION_TOKENS("completion_tokens", Kind.INTEGER),
  TOTAL_TOKENS("total_tokens", Kind.INTEGER),
  CACHED_TOKENS("cached_tokens", Kind.INTEGER),
  USAGE_ESTIMATED("usage_estimated", Kind.BOOLEAN),
  COST_USD("cost_usd", Kind.REAL),
  COST_SOURCE("cost_source", Kind.TEXT),
  COST_SAVED_USD("cost_saved_usd", Kind.REAL),
  BYTES_IN("bytes_in", Kind.INTEGER),
  BYTES_OUT("bytes_out", Kind.INTEGER),
  REQUEST_BODY("request_body", Kind.TEXT),
  RESPONSE_BODY("response_body", Kind.TEXT);

  /** How a value is kept: JSON and the column type differ only for time and booleans. */
  public enum Kind {
    TEXT, INTEGER, REAL, BOOLEAN,
    /** ISO-8601 instant in JSON, epoch milliseconds in the column. */
    TIME
  }

  private final String key;
  private final Kind kind;

  LogField(String key, Kind kind) {
    this.key = key;
    this.kind = kind;
  }

  public String key() {
    return key;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Epoch milliseconds of an ISO-8601 instant. The shape {@code Instant#toString} writes
   * ({@code 2025-01-31T12:00:00.123Z}) is read by hand: entries from other cluster nodes bring one
   * each, and the general parser allocates a map per call. Anything else takes the general parser.
   */
  static long epochMillis(String iso) {
    int length = iso.length();
    if (length >= 20 && length <= 30 && iso.charAt(4) == '-' && iso.charAt(7) == '-' && iso.charAt(10) == 'T'
        && iso.charAt(13) == ':' && iso.charAt(16) == ':' && iso.charAt(length - 1) == 'Z'
        && (length == 20 || iso.charAt(19) == '.')) {
      try {
        // Nearly every entry is of the day the last one was written or read in.
        Day day = lastDay;
        long days = iso.startsWith(day.prefix()) ? day.number()
            : LocalDate.of(digits(iso, 0, 4), digits(iso, 5, 7), digits(iso, 8, 10)).toEpochDay();
        long seconds = days * 86_400 + digits(iso, 11, 13) * 3_600L + digits(iso, 14, 16) * 60L + digits(iso, 17, 19);
        int millis = 0;
        for (int i = 20; i < 23; i++) {
          millis = millis * 10 + (i < length - 1 ? digits(iso, i, i + 1) : 0);
        }
        return seconds * 1000 + millis;
      } catch (DateTimeException | NumberFormatException e) {
        // not the simple shape after all
      }
    }
    return Instant.parse(iso).toEpochMilli();
  }

  /** The day {@link #iso} wrote last: its date part is written once per day, not once per entry. */
  private record Day(long number, String prefix) {
  }

  private static volatile Day lastDay = new Day(Long.MIN_VALUE, "no day yet");

  /**
   * Exactly what {@code Instant.ofEpochMilli(epochMillis).toString()} writes
   * ({@code 2025-01-31T12:00:00.123Z}, no fraction at a whole second), without its general
   * formatter, which was a visible part of each request's cost: every entry gets one.
   */
  public static String iso(long epochMillis) {
    long dayNumber = Math.floorDiv(epochMillis, 86_400_000L);
    Day day = lastDay;
    if (day.number() != dayNumber) {
      LocalDate date = LocalDate.ofEpochDay(dayNumber);
      if (date.getYear() < 0 || date.getYear() > 9999) {
        return Instant.ofEpochMilli(epochMillis).toString();
      }
      day = new Day(dayNumber, date + "T");
      lastDay = day;
    }
    int inDay = (int) (epochMillis - dayNumber * 86_400_000L);
    int millis = inDay % 1000;
    int seconds = inDay / 1000;
    StringBuilder text = new StringBuilder(24).append(day.prefix());
    twoDigits(text, seconds / 3600).append(':');
    twoDigits(text, seconds / 60 % 60).append(':');
    twoDigits(text, seconds % 60);
    if (millis != 0) {
      text.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
          .append((char) ('0' + millis % 10));
    }
    return text.append('Z').toString();
  }

  private static StringBuilder twoDigits(StringBuilder text, int value) {
    return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }

  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(text);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The JSON value of a column value read back. */
  Object fromColumn(Object value) {
    if (value == null) {
      return kind == Kind.BOOLEAN ? Boolean.FALSE : null;
    }
    return switch (kind) {
      case TIME -> iso(((Number) value).longValue());
      case BOOLEAN -> ((Number) value).intValue() != 0;
      case REAL -> value instanceof String text ? Double.valueOf(text) : ((Number) value).doubleValue();
      case INTEGER -> ((Number) value).longValue();
      default -> value;
    };
  }
}
