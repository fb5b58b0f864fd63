package dev.faultline.proxy;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One feature's block of settings on a proxy, such as {@code cache} or {@code faults}: a JSON
 * value under its own key in the proxy's JSON, kept in a column of the same name in the
 * {@code proxies} table (added by that feature's migration).
 *
 * <p>A feature registers its block in {@link ProxyBlocks}; creating, patching, storing and
 * showing proxies then handle it without further code.
 */
public interface ProxyBlock {

  /** The key in the proxy's JSON and the column name, e.g. {@code cache}. */
  String name();

  /** The value of a proxy that never set this block (a fresh copy each call). */
  Object defaultValue();

  /**
   * Checks what a user sent and returns it normalised (defaults filled in), or throws
   * {@link ProxyException#invalid} naming the field, e.g. {@code cache.ttl_seconds}.
   */
  Object validate(Object value);

  /** A block made of its parts, for settings that read and print themselves. */
  static ProxyBlock of(String name, Supplier<Object> defaultValue, UnaryOperator<Object> validate) {
    return new ProxyBlock() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Object defaultValue() {
        return defaultValue.get();
      }

      @Override
      public Object validate(Object value) {
        return validate.apply(value);
      }
    };
  }
}
