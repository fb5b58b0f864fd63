package dev.faultline.cluster;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.api.Version;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/cluster}: the nodes of this node's cluster with their admin address, version,
 * uptime and health, each asked over the bus at {@code faultline.cluster.node.<id>} (a node that
 * does not answer within a second reads {@code unreachable}). On one node: that node alone, with
 * {@code clustered: false}.
 */
public final class ClusterMembers implements ApiRoutes {

  static final String NODE_ADDRESS = "faultline.cluster.node.";
  private static final long ASK_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final Supplier<String> adminAddress;
  private final Supplier<Future<Boolean>> healthy;
  private final Instant startedAt = Instant.now();

  /**
   * @param adminAddress where this node's admin API is reached ({@code host:port})
   * @param healthy      whether this node is healthy now ({@code /healthz} would say ok)
   */
  public ClusterMembers(Vertx vertx, Supplier<String> adminAddress, Supplier<Future<Boolean>> healthy) {
    this.vertx = vertx;
    this.adminAddress = adminAddress;
    this.healthy = healthy;
  }

  /** Answers the other nodes' questions about this one (on a clustered Vert.x). */
  public Future<Void> start() {
    String id = ClusterNode.nodeId(vertx);
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().<JsonObject>consumer(NODE_ADDRESS + id, message ->
        self().onSuccess(message::reply).onFailure(e -> message.fail(500, e.getMessage()))).completion();
  }

  @Override
  public void mount(Router router) {
    router.get("/api/cluster").handler(ctx -> Responses.reply(ctx, 200, describe()));
  }

  /** Every node's description, this one's first. */
  public Future<JsonObject> describe() {
    String id = ClusterNode.nodeId(vertx);
    if (id == null) {
      return self().map(node -> new JsonObject().put("clustered", false).put("node_id", node.getString("id"))
          .put("nodes", new JsonArray().add(node)));
    }
    List<String> others = ClusterNode.nodes(vertx).stream().filter(node -> !node.equals(id)).sorted().toList();
    List<Future<JsonObject>> asked = others.stream().map(this::ask).toList();
    return self().compose(own -> Future.join(asked).transform(v -> {
      JsonArray nodes = new JsonArray().add(own);
      asked.forEach(answer -> nodes.add(answer.result()));
      return Future.succeededFuture(new JsonObject().put("clustered", true).put("node_id", id).put("nodes", nodes));
    }));
  }

  private Future<JsonObject> ask(String node) {
    return vertx.eventBus().<JsonObject>request(NODE_ADDRESS + node, null,
            new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(reply -> reply.body())
        .otherwise(e -> new JsonObject().put("id", node).put("address", null).put("version", null)
            .put("started_at", null).put("uptime_seconds", null).put("health", "unreachable"));
  }

  private Future<JsonObject> self() {
    String id = ClusterNode.nodeId(vertx);
    return healthy.get().otherwise(false).map(ok -> new JsonObject()
        .put("id", id != null ? id : "local")
        .put("address", adminAddress.get())
        .put("version", Version.current())
        .put("started_at", startedAt.toString())
        .put("uptime_seconds", Duration.between(startedAt, Instant.now()).toSeconds())
        .put("health", ok ? "ok" : "degraded"));
  }
}
