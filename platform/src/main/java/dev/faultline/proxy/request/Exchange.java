package dev.faultline.proxy.request;

import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Usage;
import dev.faultline.proxy.ProxyDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request through a proxy and everything the pipeline learns about it on the way: each step
 * writes what it did (cache status, fault applied, timings, bytes, usage), and when it is over
 * it becomes a log entry. Lives on one event loop; not thread-safe.
 */
public final class Exchange {

  /** How an exchange ended. */
  public enum Outcome {
    /** The response went out whole. */
    COMPLETED,
    /** The upstream's body broke mid-way; the caller's connection was reset. */
    BROKEN,
    /** The caller went away before the response ended. */
    ABANDONED,
    /** The connection was dropped on purpose (a fault). */
    RESET
  }

  private final String requestId;
  private final HttpServerRequest http;
  private final ProxyDefinition proxy;
  private final Provider provider;
  private final long startMillis = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  private final Map<String, String> responseHeaders = new LinkedHashMap<>(2);
  private ProxyRequest request;
  private String clientIp;
  private String cacheStatus;
  private String fault;
  private String errorType;
  private int status;
  private long bytesIn;
  private long bytesOut;
  private long upstreamStartNanos;
  private long upstreamEndNanos;
  private long firstByteNanos;
  private long endNanos;
  private Usage usage;
  private boolean usageEstimated;
  private AnswerFacts answerFacts;
  private Outcome outcome;
  /** False for a request whose request line was too long to read: its method and path are unknown. */
  private boolean requestLineRead = true;
  /** Completed when nobody will read the upstream's answer any more; made only when asked for. */
  private Promise<Void> abandoned;
  /** The dialect of {@link #request}, asked of the provider once it is known; null until then. */
  private Dialect dialect;

  Exchange(String requestId, HttpServerRequest http, ProxyDefinition proxy, Provider provider) {
    this.requestId = requestId;
    this.http = http;
    this.proxy = proxy;
    this.provider = provider;
  }

  public String requestId() {
    return requestId;
  }

  /** The caller's request; {@code null} until its body was read and checked. */
  public ProxyRequest request() {
    return request;
  }

  /**
   * Sets {@code name} on the request the provider forwards, in place of the caller's own (a
   * {@code traceparent} naming Faultline's span, say). The caller's request as read is what the
   * steps before saw; nothing happens before it was read.
   */
  public void forwardHeader(String name, String value) {
    if (request != null) {
      request = new ProxyRequest(request.id(), request.method(), request.uri(),
          request.headers().with(name, value), request.body(), request.json());
      dialect = null;
    }
  }

  void request(ProxyRequest value) {
    this.request = value;
    this.dialect = null;
    this.bytesIn = value.body().length();
  }

  public HttpServerRequest http() {
    return http;
  }

  /** Whether the request line was read; when not, {@link #http()} shows a placeholder method and path. */
  public boolean requestLineRead() {
    return requestLineRead;
  }

  void requestLineUnread() {
    this.requestLineRead = false;
  }

  public ProxyDefinition proxy() {
    return proxy;
  }

  public Provider provider() {
    return provider;
  }

  /**
   * The request as far as it is known: the caller's request once read, else its request line and
   * headers without a body (a request refused before its body was read).
   */
  public ProxyRequest knownRequest() {
    if (request != null) {
      return request;
    }
    return new ProxyRequest(requestId, http.method().name(), http.uri() == null ? "/" : http.uri(),
        Headers.copyOf(http.headers()), null, null);
  }

  /**
   * The API this request speaks, as its provider says: how its errors, rate-limit headers, stream
   * errors and request id look. Chat Completions when the provider fails to say.
   */
  public Dialect dialect() {
    if (dialect != null) {
      return dialect;
    }
    Dialect known;
    try {
      Dialect said = provider.dialect(knownRequest());
      known = said == null ? Dialects.OPENAI_CHAT : said;
    } catch (RuntimeException | LinkageError e) {
      known = Dialects.OPENAI_CHAT;
    }
    // Asked once the request is read (the relay, the log and error answers all ask): a request
    // known only by its head may still be read whole, and then be of another dialect.
    if (request != null) {
      dialect = known;
    }
    return known;
  }

  public long startMillis() {
    return startMillis;
  }

  /** The caller's address as the IP filter decided it (socket peer, or a trusted forwarder's claim). */
  public String clientIp() {
    return clientIp != null ? clientIp : http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
  }

  public void clientIp(String value) {
    this.clientIp = value;
  }

  /** {@code HIT}, {@code MISS}, {@code BYPASS}, or null when the cache is off. */
  public String cacheStatus() {
    return cacheStatus;
  }

  public void cacheStatus(String value) {
    this.cacheStatus = value;
  }

  /** The id of the fault strategy that touched this exchange, or null. */
  public String fault() {
    return fault;
  }

  public void fault(String strategyId) {
    this.fault = strategyId;
  }

  /** The error type the log entry gets when the caller went away before the response ended. */
  public static final String CLIENT_CLOSED = "client_closed";

  /**
   * The OpenAI error type of an error answer ({@code rate_limit_exceeded}, …), {@link #CLIENT_CLOSED}
   * when the caller left, or null.
   */
  public String errorType() {
    return errorType;
  }

  public void errorType(String value) {
    // Once the caller has left, that is why the exchange ended: the upstream call stopped for it
    // (and failing on the way out) is no error of the upstream's.
    if (outcome != Outcome.ABANDONED) {
      this.errorType = value;
    }
  }

  /** Adds a header to the response the caller gets, e.g. {@code X-Faultline-Cache}. */
  public void responseHeader(String name, String value) {
    responseHeaders.put(name, value);
  }

  Map<String, String> responseHeaders() {
    return responseHeaders;
  }

  public int status() {
    return status;
  }

  void status(int value) {
    this.status = value;
  }

  public long bytesIn() {
    return bytesIn;
  }

  public long bytesOut() {
    return bytesOut;
  }

  void addBytesOut(long count) {
    if (bytesOut == 0 && count > 0) {
      firstByteNanos = System.nanoTime();
    }
    bytesOut += count;
  }

  /** Marks the start and the answer of the upstream call, for its own latency. */
  public void upstreamStarted() {
    upstreamStartNanos = System.nanoTime();
  }

  public void upstreamAnswered() {
    upstreamEndNanos = System.nanoTime();
  }

  /** Milliseconds from the upstream call to its response head; -1 when there was none. */
  public double upstreamMillis() {
    return upstreamStartNanos == 0 || upstreamEndNanos == 0 ? -1 : (upstreamEndNanos - upstreamStartNanos) / 1e6;
  }

  /** Milliseconds from accept to the first response body byte; -1 when none went out. */
  public double timeToFirstByteMillis() {
    return firstByteNanos == 0 ? -1 : (firstByteNanos - startNanos) / 1e6;
  }

  /** Milliseconds from accept to the end; -1 while running. */
  public double latencyMillis() {
    return endNanos == 0 ? -1 : (endNanos - startNanos) / 1e6;
  }

  public Usage usage() {
    return usage;
  }

  public boolean usageEstimated() {
    return usageEstimated;
  }

  /** Token usage of the answer; {@code estimated} when counted here rather than reported upstream. */
  public void usage(Usage value, boolean estimated) {
    this.usage = value;
    this.usageEstimated = estimated;
  }

  /** What the step that made the answer already read of its body (see {@link AnswerFacts}), or null. */
  public AnswerFacts answerFacts() {
    return answerFacts;
  }

  /** Set by a step that answers with a body it read before (a cache hit), so the log need not read it again. */
  public void answerFacts(AnswerFacts value) {
    this.answerFacts = value;
  }

  public Outcome outcome() {
    return outcome;
  }

  public boolean finished() {
    return outcome != null;
  }

  /** Whether the caller went away before the response ended. */
  public boolean callerLeft() {
    return outcome == Outcome.ABANDONED;
  }

  /**
   * Completes when nobody will read the upstream's answer any more: the caller went away before
   * the response ended, or a step answered the caller without it ({@link #abandonUpstream}).
   */
  public Future<Void> abandoned() {
    if (abandoned == null) {
      abandoned = Promise.promise();
      if (callerLeft()) {
        abandoned.complete();
      }
    }
    return abandoned.future();
  }

  /** The caller has been answered without the upstream (its timeout passed): stop waiting on it. */
  public void abandonUpstream() {
    abandoned();
    abandoned.tryComplete();
  }

  /** Ends the exchange once; returns false if it had already ended. */
  boolean finish(Outcome value) {
    if (outcome != null) {
      return false;
    }
    outcome = value;
    endNanos = System.nanoTime();
    if (value == Outcome.ABANDONED) {
      errorType = CLIENT_CLOSED;
    }
    if (value == Outcome.ABANDONED && abandoned != null) {
      abandoned.tryComplete();
    }
    return true;
  }
}
