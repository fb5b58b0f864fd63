package dev.faultline.plugin.api;

/**
 * What one call cost, in US dollars: the answer of a provider's {@link Provider#cost} hook.
 *
 * @param usd the price of the call; finite and not negative ({@code 0} for a free call — a model
 *            whose price a provider does not know is {@code Optional.empty()}, never a zero cost)
 */
public record Cost(double usd) {

  public Cost {
    if (!Double.isFinite(usd) || usd < 0) {
      throw new IllegalArgumentException("a cost is a finite, non-negative number of US dollars, got " + usd);
    }
  }
}
