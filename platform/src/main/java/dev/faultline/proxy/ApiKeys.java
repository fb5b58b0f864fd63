package dev.faultline.proxy;

import java.security.GeneralSecurityException;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a caller's API key is, for the features that tell callers apart by it (the cache's
 * tenants, the caller limit). They only ever keep a keyed hash of it, never the key.
 */
public final class ApiKeys {

  private ApiKeys() {
  }

  /**
   * The caller's key, or {@code ""} when none is sent: the bearer token, else the whole
   * {@code Authorization} value, else {@code api-key} (Azure OpenAI), else {@code x-api-key}
   * (Anthropic).
   *
   * @param header a request header's value by name, {@code null} when absent
   */
  public static String of(Function<String, String> header) {
    String authorization = trimmed(header.apply("authorization"));
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (!authorization.isEmpty()) {
      return authorization;
    }
    String azure = trimmed(header.apply("api-key"));
    return !azure.isEmpty() ? azure : trimmed(header.apply("x-api-key"));
  }

  /** HMAC-SHA256 under {@code secret}, one {@link Mac} per thread (a Mac is not thread-safe). */
  public static ThreadLocal<Mac> hmacSha256(byte[] secret) {
    SecretKeySpec key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }
}
