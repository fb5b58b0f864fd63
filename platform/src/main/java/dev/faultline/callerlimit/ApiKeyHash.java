package dev.faultline.callerlimit;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The API key a caller sent, as the per-key limit knows it: an HMAC under a secret made at
 * start and never written anywhere, so the buckets never hold a key, and a hash seen in a heap
 * dump cannot be checked against a guessed key. The key is read as the cache reads it: the
 * bearer token, else the whole {@code authorization} header, else {@code api-key} (Azure) or
 * {@code x-api-key} (Anthropic).
 */
final class ApiKeyHash {

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final ThreadLocal<Mac> hmac;

  ApiKeyHash() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    SecretKeySpec key = new SecretKeySpec(secret, "HmacSHA256");
    this.hmac = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available", e);
      }
    });
  }

  /** The hash of the key in {@code headers}, or {@code null} when there is none. */
  String of(MultiMap headers) {
    String authorization = trimmed(headers.get("authorization"));
    String key = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim()
        : !authorization.isEmpty() ? authorization
        : !trimmed(headers.get("api-key")).isEmpty() ? trimmed(headers.get("api-key"))
        : trimmed(headers.get("x-api-key"));
    if (key.isEmpty()) {
      return null;
    }
    // 128 bits tell keys apart as well as 256 do, in half the memory per bucket.
    return BASE64.encodeToString(Arrays.copyOf(hmac.get().doFinal(key.getBytes(StandardCharsets.UTF_8)), 16));
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }
}
