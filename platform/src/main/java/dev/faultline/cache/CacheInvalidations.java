package dev.faultline.cache;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * In a cluster, the nodes' in-memory fronts over the one shared table: entries that leave the
 * table on one node (deleted, cleared, replaced by an import, evicted for room) are announced on
 * {@value #ADDRESS}, and every other node drops them from its front, so none answers from memory
 * what the table no longer holds. The message names cache keys (digests) or a proxy id: no
 * request, answer or secret. On one node nothing is sent.
 */
final class CacheInvalidations {

  /** Clustered event-bus address: {@code {"node", "keys": [...]}} or {@code {"node", "proxy_id"}}. */
  static final String ADDRESS = "faultline.cluster.cache.invalidated";

  private final String origin = UUID.randomUUID().toString();
  private volatile Vertx vertx;

  /** Starts following the other nodes' invalidations (on a clustered Vert.x only). */
  Future<Void> follow(Vertx vertx, Consumer<Collection<String>> keys, Consumer<String> proxy) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    this.vertx = vertx;
    return vertx.eventBus().<JsonObject>consumer(ADDRESS, message -> {
      JsonObject body = message.body();
      if (origin.equals(body.getString("node"))) {
        return;
      }
      if (body.getValue("proxy_id") instanceof String proxyId) {
        proxy.accept(proxyId);
      } else if (body.getValue("keys") instanceof JsonArray list) {
        keys.accept(list.stream().map(String::valueOf).toList());
      }
    }).completion();
  }

  void keysGone(Collection<String> keys) {
    Vertx bus = vertx;
    if (bus != null && !keys.isEmpty()) {
      bus.eventBus().publish(ADDRESS, new JsonObject().put("node", origin).put("keys", new JsonArray(List.copyOf(keys))));
    }
  }

  void proxyCleared(String proxyId) {
    Vertx bus = vertx;
    if (bus != null) {
      bus.eventBus().publish(ADDRESS, new JsonObject().put("node", origin).put("proxy_id", proxyId));
    }
  }
}
