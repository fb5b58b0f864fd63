package dev.faultline.callerlimit;

import dev.faultline.proxy.ApiKeys;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * The API key a caller sent, as the per-key limit knows it: an HMAC under a secret made at
 * start and never written anywhere, so the buckets never hold a key, and a hash seen in a heap
 * dump cannot be checked against a guessed key. The key is read as the cache reads it
 * ({@link ApiKeys#of}).
 */
final class ApiKeyHash {

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private final ThreadLocal<Mac> hmac;

  ApiKeyHash() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.hmac = ApiKeys.hmacSha256(secret);
  }

  /** The hash of the key in {@code headers}, or {@code null} when there is none. */
  String of(MultiMap headers) {
    String key = ApiKeys.of(headers::get);
    if (key.isEmpty()) {
      return null;
    }
    // 128 bits tell keys apart as well as 256 do, in half the memory per bucket.
    return BASE64.encodeToString(Arrays.copyOf(hmac.get().doFinal(key.getBytes(StandardCharsets.UTF_8)), 16));
  }
}
