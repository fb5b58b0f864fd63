package dev.faultline.proxy.control;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugins.ParamRules;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;

/**
 * A proxy's {@code options} against what its provider describes ({@link Provider#options()}),
 * before the provider sees them: a wrong type, a value out of range or not among the choices, a
 * missing required one. Only what is described: a name the provider does not list, and anything a
 * description cannot say, stay the provider's to judge in {@code open}. The options are passed on
 * untouched (no defaults filled in), so a provider reads exactly what the user stored.
 */
final class ProviderOptionCheck {

  private ProviderOptionCheck() {
  }

  /** @throws ProxyException 400 naming {@code options.<name>} */
  static void check(Provider provider, JsonObject options) {
    for (FaultParam spec : ParamRules.options(provider)) {
      Object value = options.getValue(spec.name());
      if (value == null) {
        if (spec.required()) {
          throw ProxyException.invalid("options." + spec.name(), "required by provider " + provider.id() + " ("
              + ParamRules.describe(spec) + ")");
        }
        continue;
      }
      try {
        ParamRules.checkValue(spec, value);
      } catch (FaultParamException e) {
        throw ProxyException.invalid("options." + spec.name(), e.getMessage());
      }
    }
  }
}
