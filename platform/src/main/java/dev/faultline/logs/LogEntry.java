package dev.faultline.logs;

import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One request's log entry in a fixed shape: what {@link LogListener} fills in on the proxy's
 * event loop and hands to the log writer and the metrics as it is, with no JSON in between.
 * JSON is made only for whoever reads the entry from the event bus (a live stream, a bridge,
 * another cluster node), once however many they are.
 *
 * <p>Filled in by {@link LogListener} and never changed once handed out, so any thread may read it.
 * Besides the {@link LogField}s it carries the proxy's owner and name, which travel beside the
 * JSON (as message headers), never in it.
 */
public final class LogEntry {

  private static final LogField[] FIELDS = LogField.values();

  long ts;
  String proxyId;
  String requestId;
  String clientIp;
  String method;
  String path;
  String model;
  boolean stream;
  int status;
  String outcome;
  Double latencyMs;
  Double ttfbMs;
  Double upstreamMs;
  String cacheStatus;
  String fault;
  String errorType;
  String errorMessage;
  String retryAfter;
  Long promptTokens;
  Long completionTokens;
  Long totalTokens;
  Long cachedTokens;
  boolean usageEstimated;
  Double costUsd;
  String costSource;
  Double costSavedUsd;
  long bytesIn;
  long bytesOut;
  String requestBody;
  String responseBody;

  String ownerId;
  String proxyName;

  private volatile JsonObject json;

  LogEntry() {
  }

  /**
   * An entry read back from its JSON (one another cluster node published, say). A field the JSON
   * lacks is empty; owner and name are not in it.
   */
  public static LogEntry fromJson(JsonObject json) {
    LogEntry entry = new LogEntry();
    String ts = json.getString(LogField.TS.key());
    entry.ts = ts == null ? 0 : LogField.epochMillis(ts);
    entry.proxyId = json.getString(LogField.PROXY_ID.key());
    entry.requestId = json.getString(LogField.REQUEST_ID.key());
    entry.clientIp = json.getString(LogField.CLIENT_IP.key());
    entry.method = json.getString(LogField.METHOD.key());
    entry.path = json.getString(LogField.PATH.key());
    entry.model = json.getString(LogField.MODEL.key());
    entry.stream = json.getBoolean(LogField.STREAM.key(), false);
    entry.status = json.getInteger(LogField.STATUS.key(), 0);
    entry.outcome = json.getString(LogField.OUTCOME.key());
    entry.latencyMs = json.getDouble(LogField.LATENCY_MS.key());
    entry.ttfbMs = json.getDouble(LogField.TTFB_MS.key());
    entry.upstreamMs = json.getDouble(LogField.UPSTREAM_MS.key());
    entry.cacheStatus = json.getString(LogField.CACHE_STATUS.key());
    entry.fault = json.getString(LogField.FAULT.key());
    entry.errorType = json.getString(LogField.ERROR_TYPE.key());
    entry.errorMessage = json.getString(LogField.ERROR_MESSAGE.key());
    entry.retryAfter = json.getString(LogField.RETRY_AFTER.key());
    entry.promptTokens = json.getLong(LogField.PROMPT_TOKENS.key());
    entry.completionTokens = json.getLong(LogField.COMPLETION_TOKENS.key());
    entry.totalTokens = json.getLong(LogField.TOTAL_TOKENS.key());
    entry.cachedTokens = json.getLong(LogField.CACHED_TOKENS.key());
    entry.usageEstimated = json.getBoolean(LogField.USAGE_ESTIMATED.key(), false);
    entry.costUsd = json.getDouble(LogField.COST_USD.key());
    entry.costSource = json.getString(LogField.COST_SOURCE.key());
    entry.costSavedUsd = json.getDouble(LogField.COST_SAVED_USD.key());
    entry.bytesIn = json.getLong(LogField.BYTES_IN.key(), 0L);
    entry.bytesOut = json.getLong(LogField.BYTES_OUT.key(), 0L);
    entry.requestBody = json.getString(LogField.REQUEST_BODY.key());
    entry.responseBody = json.getString(LogField.RESPONSE_BODY.key());
    return entry;
  }

  /** Every field under its key, nulls included, as on {@code faultline.log} and in the API. Made once. */
  public JsonObject toJson() {
    JsonObject made = json;
    if (made == null) {
      made = new JsonObject();
      for (LogField field : FIELDS) {
        made.put(field.key(), value(field));
      }
      json = made;
    }
    return made;
  }

  /** The field's value as JSON has it: the time as ISO-8601, the rest as kept. */
  Object value(LogField field) {
    return field == LogField.TS ? LogField.iso(ts) : plain(field);
  }

  /** The columns whose value is null, one bit each ({@code 1L << field.ordinal()}). */
  long nullColumns() {
    long bits = 0;
    for (LogField field : FIELDS) {
      if (plain(field) == null) {
        bits |= 1L << field.ordinal();
      }
    }
    return bits;
  }

  /**
   * Binds the columns in {@link LogField} order, leaving out those in {@code omitted} (bits as in
   * {@link #nullColumns}), as the statement's parameters from {@code first} on; the next free
   * parameter. By hand and typed: the general path (a switch per column, boxing, the driver's
   * type tests) was a visible part of the writer's time.
   */
  int bind(PreparedStatement statement, int first, long omitted) throws SQLException {
    int i = first;
    statement.setLong(i++, ts);
    i = optional(statement, i, omitted, LogField.PROXY_ID, proxyId);
    i = optional(statement, i, omitted, LogField.REQUEST_ID, requestId);
    i = optional(statement, i, omitted, LogField.CLIENT_IP, clientIp);
    i = optional(statement, i, omitted, LogField.METHOD, method);
    i = optional(statement, i, omitted, LogField.PATH, path);
    i = optional(statement, i, omitted, LogField.MODEL, model);
    statement.setInt(i++, stream ? 1 : 0);
    statement.setInt(i++, status);
    i = optional(statement, i, omitted, LogField.OUTCOME, outcome);
    i = optional(statement, i, omitted, LogField.LATENCY_MS, latencyMs);
    i = optional(statement, i, omitted, LogField.TTFB_MS, ttfbMs);
    i = optional(statement, i, omitted, LogField.UPSTREAM_MS, upstreamMs);
    i = optional(statement, i, omitted, LogField.CACHE_STATUS, cacheStatus);
    i = optional(statement, i, omitted, LogField.FAULT, fault);
    i = optional(statement, i, omitted, LogField.ERROR_TYPE, errorType);
    i = optional(statement, i, omitted, LogField.ERROR_MESSAGE, errorMessage);
    i = optional(statement, i, omitted, LogField.RETRY_AFTER, retryAfter);
    i = optional(statement, i, omitted, LogField.PROMPT_TOKENS, promptTokens);
    i = optional(statement, i, omitted, LogField.COMPLETION_TOKENS, completionTokens);
    i = optional(statement, i, omitted, LogField.TOTAL_TOKENS, totalTokens);
    i = optional(statement, i, omitted, LogField.CACHED_TOKENS, cachedTokens);
    statement.setInt(i++, usageEstimated ? 1 : 0);
    i = optional(statement, i, omitted, LogField.COST_USD, costUsd);
    i = optional(statement, i, omitted, LogField.COST_SOURCE, costSource);
    i = optional(statement, i, omitted, LogField.COST_SAVED_USD, costSavedUsd);
    statement.setLong(i++, bytesIn);
    statement.setLong(i++, bytesOut);
    i = optional(statement, i, omitted, LogField.REQUEST_BODY, requestBody);
    return optional(statement, i, omitted, LogField.RESPONSE_BODY, responseBody);
  }

  /**
   * Binds {@code value} as the {@code i}-th parameter unless its column is left out; the next free
   * parameter. A string by {@code setString}; a Long or a Double as it is (no unboxing and boxing
   * again); null as NULL.
   */
  private static int optional(PreparedStatement statement, int i, long omitted, LogField field, Object value)
      throws SQLException {
    if ((omitted & 1L << field.ordinal()) != 0) {
      return i;
    }
    if (value instanceof String text) {
      statement.setString(i, text);
    } else {
      statement.setObject(i, value);
    }
    return i + 1;
  }

  private Object plain(LogField field) {
    return switch (field) {
      case TS -> ts;
      case PROXY_ID -> proxyId;
      case REQUEST_ID -> requestId;
      case CLIENT_IP -> clientIp;
      case METHOD -> method;
      case PATH -> path;
      case MODEL -> model;
      case STREAM -> stream;
      case STATUS -> status;
      case OUTCOME -> outcome;
      case LATENCY_MS -> latencyMs;
      case TTFB_MS -> ttfbMs;
      case UPSTREAM_MS -> upstreamMs;
      case CACHE_STATUS -> cacheStatus;
      case FAULT -> fault;
      case ERROR_TYPE -> errorType;
      case ERROR_MESSAGE -> errorMessage;
      case RETRY_AFTER -> retryAfter;
      case PROMPT_TOKENS -> promptTokens;
      case COMPLETION_TOKENS -> completionTokens;
      case TOTAL_TOKENS -> totalTokens;
      case CACHED_TOKENS -> cachedTokens;
      case USAGE_ESTIMATED -> usageEstimated;
      case COST_USD -> costUsd;
      case COST_SOURCE -> costSource;
      case COST_SAVED_USD -> costSavedUsd;
      case BYTES_IN -> bytesIn;
      case BYTES_OUT -> bytesOut;
      case REQUEST_BODY -> requestBody;
      case RESPONSE_BODY -> responseBody;
    };
  }

  public long ts() {
    return ts;
  }

  public String proxyId() {
    return proxyId;
  }

  /** 0 when no response was sent. */
  public int status() {
    return status;
  }

  public String outcome() {
    return outcome;
  }

  /** {@code null} for a request that never ended. */
  public Double latencyMs() {
    return latencyMs;
  }

  public String cacheStatus() {
    return cacheStatus;
  }

  public String fault() {
    return fault;
  }

  public String errorType() {
    return errorType;
  }

  public Long promptTokens() {
    return promptTokens;
  }

  public Long completionTokens() {
    return completionTokens;
  }

  public Double costUsd() {
    return costUsd;
  }

  public String costSource() {
    return costSource;
  }

  public Double costSavedUsd() {
    return costSavedUsd;
  }

  /** The proxy owner's user id; {@code null} before the first admin exists, or for another node's entry. */
  public String ownerId() {
    return ownerId;
  }

  /** The proxy's name; {@code null} for another node's entry. */
  public String proxyName() {
    return proxyName;
  }
}
