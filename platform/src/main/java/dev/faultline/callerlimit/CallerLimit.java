package dev.faultline.callerlimit;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.proxy.request.AcceptCheck;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.ProxyError;
import java.math.BigDecimal;

/**
 * Decides at accept, before the body is read and after the IP filter named the caller, whether
 * the caller is within the proxy's limit. A caller over it gets the provider's 429 with
 * {@code retry-after} and {@code retry-after-ms}, and the exchange is logged like any other,
 * with {@code error_type} {@value #CODE}.
 */
final class CallerLimit implements AcceptCheck {

  /** The error code of a refusal: the log's {@code error_type}, counted by the metrics. */
  static final String CODE = "caller_rate_limited";

  private final ProxyLimiter limiter;
  private final ApiKeyHash keys;

  CallerLimit(ProxyLimiter limiter, ApiKeyHash keys) {
    this.limiter = limiter;
    this.keys = keys;
  }

  @Override
  public void admit(Exchange exchange) {
    // The IP filter ran first and set the caller's address, trusted forwarders respected.
    String client = exchange.clientIp();
    String key = limiter.limitsKeys() ? keys.of(exchange.http().headers()) : null;
    ProxyLimiter.Refusal refusal = limiter.admit(client, key);
    if (refusal != null) {
      throw new ProxyError(error(refusal, client));
    }
  }

  /** OpenAI's 429 for a requests limit ({@code type} {@code requests}), with Faultline's own code. */
  static ApiError error(ProxyLimiter.Refusal refusal, String client) {
    long waitMillis = Math.max(1, (refusal.waitNanos() + 999_999) / 1_000_000);
    String who = refusal.limit() == ProxyLimiter.Limit.CLIENT
        ? "from your address " + client + "; this proxy allows " + number(refusal.rate().perSecond())
            + " per second per client address"
        : "with your API key; this proxy allows " + number(refusal.rate().perSecond()) + " per second per API key";
    String message = "Too many requests " + who + ", in bursts of up to " + refusal.rate().burst()
        + ". Please try again in " + duration(waitMillis) + ".";
    Headers headers = Headers.of(
        "retry-after", String.valueOf((waitMillis + 999) / 1000),
        "retry-after-ms", String.valueOf(waitMillis));
    return new ApiError(429, "requests", CODE, message, null, headers);
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** As OpenAI words a wait: {@code 250ms}, {@code 1.5s}. */
  private static String duration(long millis) {
    return millis < 1000 ? millis + "ms" : BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + "s";
  }
}
