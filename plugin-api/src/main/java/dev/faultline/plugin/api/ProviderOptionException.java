package dev.faultline.plugin.api;

/**
 * A proxy's settings have a value the provider cannot use: thrown from {@link Provider#open}, and
 * the host refuses the change (or fails the proxy) with a 400 naming {@link #field()}. The
 * provider-side twin of {@link FaultParamException}.
 *
 * <pre>{@code
 * throw ProviderOptionException.option("max_connections", "must be a positive integer, got -1");
 * // the caller of the admin API gets: 400, field "options.max_connections",
 * //   message "options.max_connections: must be a positive integer, got -1"
 * }</pre>
 */
public final class ProviderOptionException extends IllegalArgumentException {

  private final String field;

  /**
   * @param field   the proxy field at fault as the admin API names it: {@code options.<name>} for
   *                one option, {@code options} for the object as a whole (an unknown name),
   *                {@code upstream} for the upstream URL
   * @param message what is wrong and what would be right, without the field's name, e.g.
   *                {@code must be a positive integer, got -1}
   */
  public ProviderOptionException(String field, String message) {
    super(message);
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("a ProviderOptionException names the field at fault");
    }
    this.field = field;
  }

  /** One of the proxy's {@code options}, by its name: the field is {@code options.<name>}. */
  public static ProviderOptionException option(String name, String message) {
    return new ProviderOptionException("options." + name, message);
  }

  /** The proxy's {@code upstream} URL. */
  public static ProviderOptionException upstream(String message) {
    return new ProviderOptionException("upstream", message);
  }

  /** The field at fault, e.g. {@code options.max_connections}. */
  public String field() {
    return field;
  }
}
