package dev.faultline.cache;

import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * The cache keys of the requests a proxy saw last, found again by a SHA-256 of the request as sent
 * (method, URI, every header with its credentials, body bytes): a repeated request, the cache's
 * whole point, skips the provider's normalization, the canonical form and the tenant's HMAC.
 * Sound because the key is a function of exactly those parts (the tenant of the credentials,
 * the normalized body of the body and headers): a request that differs in any byte, a header's
 * order included, just computes its key afresh. Only fingerprints and keys are held, no body and
 * no credential. A fixed number of slots, each overwritten by the next request that hashes there.
 * Safe from any thread: a slot is one immutable object, read and replaced whole.
 */
final class KeyMemo {

  private static final int SLOTS = 256;
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(KeyMemo::sha256);

  private final Slot[] slots = new Slot[SLOTS];

  /** A fingerprint (its 256 bits as four longs) and the key it stands for. */
  private record Slot(long a, long b, long c, long d, CacheKeys.Key key) {
  }

  /** The key of {@code request}: remembered when this request was seen before, else {@code compute}d and kept. */
  CacheKeys.Key of(ProxyRequest request, Supplier<CacheKeys.Key> compute) {
    ByteBuffer fingerprint = ByteBuffer.wrap(fingerprint(request));
    long a = fingerprint.getLong();
    long b = fingerprint.getLong();
    long c = fingerprint.getLong();
    long d = fingerprint.getLong();
    int index = (int) a & (SLOTS - 1);
    Slot slot = slots[index];
    if (slot != null && slot.a == a && slot.b == b && slot.c == c && slot.d == d) {
      return slot.key;
    }
    CacheKeys.Key key = compute.get();
    slots[index] = new Slot(a, b, c, d, key);
    return key;
  }

  private static byte[] fingerprint(ProxyRequest request) {
    MessageDigest digest = SHA256.get();
    // Every part is followed by a byte no name or value of its kind holds (CR, LF), so that
    // moving bytes from one part to the next changes the fingerprint.
    part(digest, request.method(), '\n');
    part(digest, request.uri(), '\n');
    request.headers().forEach((name, value) -> {
      part(digest, name, '\r');
      part(digest, value, '\n');
    });
    digest.update((byte) '\n');
    Buffer body = request.body();
    if (body instanceof BufferInternal internal) {
      digest.update(internal.getByteBuf().nioBuffer());
    } else {
      digest.update(body.getBytes());
    }
    return digest.digest();
  }

  private static void part(MessageDigest digest, String text, char end) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) end);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
