package dev.faultline.proxy.control;

import dev.faultline.plugin.api.Provider;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyDefinition;
import io.vertx.core.json.JsonObject;

/** A proxy as the admin API shows it: its definition with the live status and the URL to call. */
final class ProxyView {

  private final String host;
  private final PluginHost plugins;

  ProxyView(String host, PluginHost plugins) {
    this.host = host;
    this.plugins = plugins;
  }

  /**
   * @param status   {@code running}, {@code stopped} or {@code failed}; {@code error} says why it failed
   * @param inFlight requests it is answering now
   */
  JsonObject of(ProxyDefinition proxy, String status, String error, int inFlight) {
    String upstream = proxy.upstream() != null ? Upstreams.masked(proxy.upstream())
        : plugins.provider(proxy.provider()).flatMap(Provider::defaultUpstream).orElse(null);
    return new JsonObject()
        .put("id", proxy.id())
        .put("owner", proxy.owner())
        .put("name", proxy.name())
        .put("provider", proxy.provider())
        .put("upstream", upstream)
        .put("port", proxy.port())
        .put("url", "http://" + host + ":" + proxy.port() + "/v1")
        .put("status", status)
        .put("error", error)
        .put("in_flight", inFlight)
        .put("require_api_key", proxy.requireApiKey())
        .put("options", proxy.options().copy())
        .mergeIn(proxy.blocks().copy())
        .put("created_at", proxy.createdAt().toString())
        .put("updated_at", proxy.updatedAt().toString());
  }
}
