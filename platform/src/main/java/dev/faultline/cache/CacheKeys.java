package dev.faultline.cache;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.proxy.ApiKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * Cache keys, in two layers so a cassette can carry the first without any tenant in it:
 * <ul>
 *   <li><b>request digest</b>: SHA-256 over the scheme, method, path and query, the caller's
 *       {@code Accept-Encoding} (a gzip body must not answer a caller that did not ask for gzip),
 *       the model and the provider-normalized body in {@link CanonicalJson canonical form};</li>
 *   <li><b>key</b>: SHA-256 over the proxy id, the caller's tenant and that digest.</li>
 * </ul>
 * A tenant is an HMAC-SHA256 of the caller's API key under this installation's secret: two keys
 * never share entries, and neither the key nor anything that reveals it without the secret is
 * ever stored. Thread-safe.
 */
final class CacheKeys {

  /** Names how digests are made; a cassette made under another scheme cannot be imported. */
  static final String SCHEME = "faultline-cache-v1";

  private static final HexFormat HEX = HexFormat.of();

  private final ThreadLocal<Mac> hmac;
  private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(() -> algorithm("SHA-256"));

  CacheKeys(byte[] secret) {
    this.hmac = ApiKeys.hmacSha256(secret);
  }

  /**
   * The tenant of whoever sends {@code headers}: their bearer token, else their {@code api-key}
   * (Azure) or {@code x-api-key} (Anthropic) header. Callers with no key share one tenant.
   */
  String tenant(Headers headers) {
    return tenantOf(ApiKeys.of(name -> headers.get(name).orElse(null)));
  }

  /** The tenant of a raw API key, as {@link #tenant} computes it. */
  String tenantOf(String apiKey) {
    return HEX.formatHex(hmac.get().doFinal(apiKey.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * @param normalized the provider's {@code normalize} of the request
   * @throws IllegalArgumentException when the body holds something JSON cannot (see {@link CanonicalJson})
   */
  String digest(ProxyRequest request, JsonObject normalized) {
    MessageDigest digest = sha256.get();
    for (String part : new String[] {SCHEME, request.method(), request.uri(),
        request.headers().get("accept-encoding").orElse("").trim().toLowerCase(),
        request.model() == null ? "" : request.model()}) {
      digest.update(part.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) '\n');
    }
    return HEX.formatHex(digest.digest(CanonicalJson.bytes(normalized)));
  }

  /** The key of {@code request} to a proxy, with the parts it is made of. */
  Key of(String proxyId, ProxyRequest request, JsonObject normalized) {
    String tenant = tenant(request.headers());
    String digest = digest(request, normalized);
    return new Key(key(proxyId, tenant, digest), tenant, digest);
  }

  /** A cache key and what it was made from; {@code value} is the entry's primary key. */
  record Key(String value, String tenant, String digest) {
  }

  String key(String proxyId, String tenant, String digest) {
    byte[] material = (proxyId + '\n' + tenant + '\n' + digest).getBytes(StandardCharsets.UTF_8);
    return HEX.formatHex(sha256.get().digest(material));
  }

  static boolean isKey(String value) {
    return value != null && value.length() == 64 && value.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
  }

  private static MessageDigest algorithm(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(name + " is not available", e);
    }
  }
}
