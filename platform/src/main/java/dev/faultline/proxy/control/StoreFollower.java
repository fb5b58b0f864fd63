package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyDefinition;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster, makes this node's live proxies follow what the other nodes store: each change
 * they announce on {@link ProxyManager#CHANGED_ADDRESS}, and, every {@link #CHECK_SECONDS}, any
 * change whose announcement never arrived (announcements are not kept for a node that is cut
 * off). Both go through the node's {@link ChangeQueue}, like the admin API's own changes.
 */
final class StoreFollower {

  private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);

  /** How long after its last check a node checks its proxies against the store again (one read of the proxies). */
  static final long CHECK_SECONDS = 10;

  private final Vertx vertx;
  private final ChangeQueue changes;
  private final ProxyStore store;
  private final ProxyDeployments deployments;
  private final PortAllocator ports;
  private volatile long timer = -1;

  StoreFollower(Vertx vertx, ChangeQueue changes, ProxyStore store, ProxyDeployments deployments, PortAllocator ports) {
    this.vertx = vertx;
    this.changes = changes;
    this.store = store;
    this.deployments = deployments;
    this.ports = ports;
  }

  /** Follows the other nodes from now on; {@code nodeId} is this node's, whose own announcements it skips. */
  Future<Void> start(String nodeId) {
    checkLater();
    return vertx.eventBus().<JsonObject>consumer(ProxyManager.CHANGED_ADDRESS, message -> {
      JsonObject change = message.body();
      if (!nodeId.equals(change.getString("node")) && change.getValue("id") instanceof String id) {
        reload(id).onFailure(e -> LOG.warn("Cluster: could not follow the change of proxy {} made on node {}: {}", id,
            change.getString("node"), e.getMessage()));
      }
    }).completion();
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /**
   * Makes this node's live proxy {@code id} match what is stored: another node created, changed,
   * started, stopped or deleted it. Reconfigured in place when only its settings changed.
   */
  Future<Void> reload(String id) {
    return changes.run(() -> store.find(id).compose(found -> follow(id, found.orElse(null))));
  }

  /**
   * Makes every proxy here that is out of step with the store match it, and says which were: a
   * change whose announcement this node never heard, or could not follow then, is followed now.
   */
  Future<List<String>> check() {
    return changes.run(() -> store.list().compose(this::followStore)).onSuccess(followed -> {
      if (!followed.isEmpty()) {
        LOG.info("Cluster: proxies out of step with the store here (changed on another node, not followed here "
            + "yet) now follow it: {}", followed);
      }
    });
  }

  /**
   * Follows each of {@code changed} ({@code null}: deleted), and gives their ids, in three rounds,
   * each all at once: those running here that stop or go, then those running here that change
   * or move, then those that start. A port freed in a round is free for the rounds after it. Each
   * step is bounded, so the whole stays within a change's time; one that cannot run here says why
   * itself (it reads failed). To be run as part of a change.
   */
  Future<List<String>> followEach(Map<String, ProxyDefinition> changed) {
    List<String> goes = new ArrayList<>();
    List<String> changing = new ArrayList<>();
    List<String> starts = new ArrayList<>();
    changed.forEach((id, stored) -> (deployments.current(id) == null ? starts
        : stored == null || !stored.running() ? goes : changing).add(id));
    return followAtOnce(goes, changed)
        .compose(v -> followAtOnce(changing, changed))
        .compose(v -> followAtOnce(starts, changed))
        .map(v -> List.copyOf(changed.keySet()));
  }

  /** The next check, {@link #CHECK_SECONDS} after the last one ended: a slow store never piles them up. */
  private void checkLater() {
    timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(CHECK_SECONDS), t -> check()
        .onFailure(e -> LOG.warn("Cluster: could not check this node's proxies against the store: {}", e.getMessage()))
        .onComplete(done -> {
          if (!changes.closing()) {
            checkLater();
          }
        }));
  }

  /** Makes every proxy here that is out of step with {@code stored} (all the proxies) match it, and gives their ids. */
  private Future<List<String>> followStore(List<ProxyDefinition> stored) {
    Map<String, ProxyDefinition> changed = new HashMap<>();
    Set<String> gone = deployments.known();
    for (ProxyDefinition proxy : stored) {
      gone.remove(proxy.id());
      if (deployments.outOfStep(proxy)) {
        changed.put(proxy.id(), proxy);
      }
    }
    gone.forEach(id -> changed.put(id, null));
    return followEach(changed);
  }

  private Future<Void> followAtOnce(List<String> ids, Map<String, ProxyDefinition> changed) {
    return Future.join(ids.stream().map(id -> follow(id, changed.get(id)).otherwiseEmpty()).toList())
        .otherwiseEmpty().mapEmpty();
  }

  /** Makes the live proxy {@code id} match {@code stored} ({@code null}: it was deleted), as another node stored it. */
  private Future<Void> follow(String id, ProxyDefinition stored) {
    ports.forgetUsed();
    return deployments.match(id, stored);
  }
}
