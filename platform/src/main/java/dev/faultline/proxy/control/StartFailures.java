package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
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
    if (error instanceof IllegalArgumentException) {
      // Providers name the bad setting first: "options.tokens_per_second: must be …".
      String message = String.valueOf(error.getMessage());
      int colon = message.indexOf(':');
      String field = colon > 0 && !message.substring(0, colon).contains(" ") ? message.substring(0, colon) : "options";
      return ProxyException.invalid(field, colon > 0 ? message.substring(colon + 1).trim() : message);
    }
    return ProxyException.invalid("provider", "provider '" + proxy.provider() + "' failed to start: " + error);
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
