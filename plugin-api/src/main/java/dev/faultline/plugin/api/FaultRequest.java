package dev.faultline.plugin.api;

import java.time.Clock;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * What a {@link Fault} sees of one request: small, immutable, and free of secrets (the
 * {@code Authorization}, {@code api-key}, {@code x-api-key}, {@code cookie} and
 * {@code proxy-authorization} headers are left out).
 *
 * <p>{@link #random()} is the only source of chance a fault should use: with a proxy seed set it
 * makes the same choices for the same sequence of requests, run after run. {@link #clock()} is the
 * only clock it should read, so tests can move time by hand.
 *
 * <p>Build one in a strategy's own tests with {@link #builder()}.
 */
public final class FaultRequest {

  private final String proxyId;
  private final String requestId;
  private final String method;
  private final String path;
  private final String model;
  private final boolean stream;
  private final Headers headers;
  private final LongSupplier tokenEstimate;
  private final RandomGenerator random;
  private final Clock clock;
  private final Dialect dialect;
  private long estimatedTokens = -1;

  private FaultRequest(Builder b) {
    this.proxyId = b.proxyId;
    this.requestId = b.requestId;
    this.method = b.method;
    this.path = b.path;
    this.model = b.model;
    this.stream = b.stream;
    this.headers = b.headers;
    this.tokenEstimate = b.tokenEstimate;
    this.random = b.random;
    this.clock = b.clock;
    this.dialect = b.dialect;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String proxyId() {
    return proxyId;
  }

  /** The id Faultline gave the request (also its {@code x-request-id}). */
  public String requestId() {
    return requestId;
  }

  /** Upper case, e.g. {@code POST}. */
  public String method() {
    return method;
  }

  /** The path without query, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** The {@code model} the caller named, or {@code null}. */
  public String model() {
    return model;
  }

  /** Whether the caller asked for a server-sent-event stream. */
  public boolean stream() {
    return stream;
  }

  /** The caller's headers without credentials. */
  public Headers headers() {
    return headers;
  }

  /**
   * The tokens this request counts against a tokens-per-minute limit, estimated as OpenAI's
   * limiter does before it runs the model: about one token per four characters of prompt, plus
   * the completion tokens it may produce ({@code max_completion_tokens} or {@code max_tokens},
   * times {@code n}). Worked out on first use.
   */
  public long estimatedTokens() {
    if (estimatedTokens < 0) {
      estimatedTokens = Math.max(0, tokenEstimate.getAsLong());
    }
    return estimatedTokens;
  }

  /** This request's source of chance: seeded from the proxy's seed when it has one. */
  public RandomGenerator random() {
    return random;
  }

  /** The clock to read the time from. */
  public Clock clock() {
    return clock;
  }

  /**
   * The API the request speaks: ask it for the error, headers and stream events to answer with, so
   * the fault looks as that API's own failures look.
   *
   * @since 0.2.0
   */
  public Dialect dialect() {
    return dialect;
  }

  /** Sets each field; what is not set gets a harmless default (a chat completion POST). */
  public static final class Builder {
    private String proxyId = "prx_test";
    private String requestId = "req_test";
    private String method = "POST";
    private String path = "/v1/chat/completions";
    private String model;
    private boolean stream;
    private Headers headers = Headers.empty();
    private LongSupplier tokenEstimate = () -> 0;
    private RandomGenerator random;
    private Clock clock = Clock.systemUTC();
    private Dialect dialect = Dialects.OPENAI_CHAT;

    private Builder() {
    }

    public Builder dialect(Dialect value) {
      this.dialect = Objects.requireNonNull(value);
      return this;
    }

    public Builder proxyId(String value) {
      this.proxyId = Objects.requireNonNull(value);
      return this;
    }

    public Builder requestId(String value) {
      this.requestId = Objects.requireNonNull(value);
      return this;
    }

    public Builder method(String value) {
      this.method = Objects.requireNonNull(value);
      return this;
    }

    public Builder path(String value) {
      this.path = Objects.requireNonNull(value);
      return this;
    }

    public Builder model(String value) {
      this.model = value;
      return this;
    }

    public Builder stream(boolean value) {
      this.stream = value;
      return this;
    }

    /** The caller's headers; credentials are removed here. */
    public Builder headers(Headers value) {
      this.headers = value.without("authorization", "api-key", "x-api-key", "cookie", "proxy-authorization");
      return this;
    }

    public Builder estimatedTokens(long value) {
      return estimatedTokens(() -> value);
    }

    /** Worked out only if a fault asks for it. */
    public Builder estimatedTokens(LongSupplier value) {
      this.tokenEstimate = Objects.requireNonNull(value);
      return this;
    }

    public Builder random(RandomGenerator value) {
      this.random = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    public FaultRequest build() {
      if (random == null) {
        random = new SplittableRandom();
      }
      return new FaultRequest(this);
    }
  }
}
