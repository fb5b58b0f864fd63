package dev.faultline.proxy;

import io.vertx.core.json.JsonObject;

/** Reading the fields of a settings block the same way in every feature, errors naming the field. */
public final class BlockValues {

  private BlockValues() {
  }

  /** {@code block.field} as a boolean; {@code fallback} when absent or null. */
  public static boolean bool(String blockName, JsonObject block, String field, boolean fallback) {
    Object value = block.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw ProxyException.invalid(blockName + "." + field, "must be true or false, got " + Echo.quote(value));
  }
}
