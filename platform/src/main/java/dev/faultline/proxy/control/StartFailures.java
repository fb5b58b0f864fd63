package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import dev.faultline.plugin.api.ProviderOptionException;
import java.net.BindException;

/** What a failed start or reconfiguration tells the user: the field at fault, in the admin API's words. */
final class StartFailures {

  private StartFailures() {
  }

  static ProxyException translate(Throwable error, ProxyDefinition proxy) {
    if (error instanceof ProxyException known) {
      return known;
    }
    if (isPortConflict(error)) {
      return ProxyException.conflict("port", proxy.port() + " is already in use by another program");
    }
    if (error instanceof ProviderOptionException option) {
      return ProxyException.invalid(option.field(), String.valueOf(option.getMessage()));
    }
    if (error instanceof IllegalArgumentException) {
      // A third-party provider that does not name the field: the options as a whole.
      return ProxyException.invalid("options", String.valueOf(error.getMessage()));
    }
    return ProxyException.invalid("provider", "provider '" + proxy.provider() + "' failed to start: " + error);
  }

  /** Another proxy has {@code port}: the same words whether the store or this node's running proxies say so. */
  static ProxyException portUsedBy(int port, String otherName) {
    return ProxyException.conflict("port", port + " is already used by proxy '" + otherName + "'");
  }

  static boolean isPortConflict(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")
          || t instanceof ProxyException p && p.status() == 409 && "port".equals(p.field())) {
        return true;
      }
    }
    return false;
  }
}
