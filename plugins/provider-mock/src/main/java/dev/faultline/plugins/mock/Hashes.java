package dev.faultline.plugins.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.TreeSet;

/** Seeds and ids derived from request content, so equal requests get equal answers. */
final class Hashes {

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private Hashes() {
  }

  /**
   * A seed from JSON-like parts. Object keys are sorted first: two clients may serialise the
   * same message with keys in a different order, and that must not change the answer.
   */
  static long seed(Object... parts) {
    JsonArray canonical = new JsonArray();
    for (Object part : parts) {
      canonical.add(canonical(part));
    }
    byte[] digest = sha256(canonical.encode());
    return ByteBuffer.wrap(digest).getLong();
  }

  /** {@code prefix} plus 29 letters and digits, the shape of OpenAI's {@code chatcmpl-…} ids. */
  static String id(String prefix, Object... parts) {
    SplitMix rng = new SplitMix(seed(parts));
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 29; i++) {
      id.append(BASE62.charAt(rng.nextInt(BASE62.length())));
    }
    return id.toString();
  }

  /** {@code fp_} plus ten hex digits, fixed per model as OpenAI's fingerprints are per backend. */
  static String fingerprint(String model) {
    return "fp_" + String.format("%016x", seed("fingerprint", model)).substring(0, 10);
  }

  static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject sorted = new JsonObject();
      for (String key : new TreeSet<>(object.fieldNames())) {
        sorted.put(key, canonical(object.getValue(key)));
      }
      return sorted;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      for (int i = 0; i < array.size(); i++) {
        copy.add(canonical(array.getValue(i)));
      }
      return copy;
    }
    return value;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM ships SHA-256", e);
    }
  }
}
