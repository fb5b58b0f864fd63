package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.UpstreamGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** What a provider sees of the proxy it serves, with the guard its upstream connections go through. */
record SessionContext(Vertx vertx, String proxyId, String upstream, JsonObject options, UpstreamGuard guard)
    implements ProviderContext {

  SessionContext {
    options = options == null ? new JsonObject() : options.copy();
  }
}
