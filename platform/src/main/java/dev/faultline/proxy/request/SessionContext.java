package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ProviderContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** What a provider sees of the proxy it serves. */
record SessionContext(Vertx vertx, String proxyId, String upstream, JsonObject options) implements ProviderContext {

  SessionContext {
    options = options == null ? new JsonObject() : options.copy();
  }
}
