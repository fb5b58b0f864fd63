package dev.faultline.proxy.control;

import dev.faultline.access.Caller;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.request.ProxyRuntime;
import dev.faultline.store.StoreKind;
import dev.faultline.proxy.upstream.UpstreamPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, changes, starts, stops and deletes proxies: what the admin API asks for, checked,
 * stored, and made live through {@link ProxyDeployments}. Every change is all-or-nothing: a
 * proxy is stored only once its port is bound, and a refused change leaves the proxy as it was.
 * Changes run one at a time on a node, and the store keeps names and ports unique across nodes,
 * so two proxies never share either; each change is bounded in time, so one that never finishes
 * fails alone and the changes after it go ahead.
 */
public final class ProxyManager {

  /** Event-bus address where a proxy's start, stop and failure are published. */
  public static final String STATUS_ADDRESS = "faultline.proxy.status";
  public static final String DEMO_NAME = "demo";
  /**
   * Clustered event-bus address where a node announces that it stored a change to a proxy
   * ({@code {"id": …, "node": …}}, nothing else: no settings, no secret); every other node then
   * reads the proxy again from the shared store and makes its own live state match.
   */
  public static final String CHANGED_ADDRESS = "faultline.cluster.proxy.changed";

  private static final Logger LOG = LoggerFactory.getLogger(ProxyManager.class);

  /**
   * How many proxies start together at boot. With 1,000 proxies on 2 cores, all listened after a
   * restart in 1.85 s with 512 together, 1.93 s with 256, 2.13 s with 128 and 1.8 s with all at
   * once (each group waits for its slowest member, and the cores idle meanwhile); a bound all the
   * same, so that ten thousand do not open every port and upstream session in the same instant.
   */
  public static final int RESTORE_TOGETHER = 512;

  private final Vertx vertx;
  private final ProxyStore store;
  private final PluginHost plugins;
  private final ProxyInput input;
  private final ProxyDeployments deployments;
  private final PortAllocator ports;
  private final ProxyView view;
  private final UpstreamPolicy upstreams;
  private volatile int adminPort;
  private final ChangeQueue changes = new ChangeQueue();
  private final StoreFollower follower;
  /** This node's id in its cluster, which its announcements carry; {@code null}: not clustered, nothing announced. */
  private volatile String node;

  /**
   * What proxies are run with.
   *
   * @param host          the address every proxy binds
   * @param portRangeFrom first port handed to proxies created without one
   * @param portRangeTo   last such port, inclusive
   * @param instances     event loops (verticle instances) serving each proxy
   * @param adminPort     the admin API's configured port, which no proxy may take
   */
  public record Settings(String host, int portRangeFrom, int portRangeTo, int instances, int adminPort) {
  }

  public ProxyManager(Vertx vertx, Settings settings, ProxyStore store, PluginHost plugins, ProxyBlocks blocks,
                      ProxyRuntime runtime) {
    this.vertx = vertx;
    this.store = store;
    this.plugins = plugins;
    this.input = new ProxyInput(blocks);
    this.deployments = new ProxyDeployments(vertx, settings, plugins, runtime);
    this.ports = new PortAllocator(vertx, settings, () -> adminPort, store::firstFreePort,
        placed -> establish(placed, true));
    this.follower = new StoreFollower(vertx, changes, store, deployments, ports);
    this.view = new ProxyView(settings.host(), plugins);
    this.upstreams = runtime.upstreams();
    this.adminPort = settings.adminPort();
  }

  /** For tests: how long a whole change may take before it is given up. */
  void changeTimeout(long millis) {
    changes.timeout(millis);
  }

  /** The port the admin API actually bound, which no proxy may take. */
  public void adminPort(int port) {
    this.adminPort = port;
  }

  /**
   * Joins the other nodes of a cluster: from now on each stored change is announced on
   * {@link #CHANGED_ADDRESS}, and this node follows the others' (see {@link StoreFollower}).
   *
   * @param nodeId this node's id in the cluster
   */
  public Future<Void> followCluster(String nodeId) {
    this.node = nodeId;
    return follower.start(nodeId);
  }

  /** Checks the proxies here against the store now, and says which it followed (see {@link StoreFollower#check}). */
  Future<List<String>> reconcile() {
    return follower.check();
  }

  /** Tells the other nodes of the cluster, if any, that proxy {@code id} changed in the store. */
  private void announce(String id) {
    String self = node;
    if (self != null) {
      vertx.eventBus().publish(CHANGED_ADDRESS, new JsonObject().put("id", id).put("node", self));
    }
  }

  /** The proxies {@code caller} may see: their own, or all for an admin. */
  public Future<JsonArray> list(Caller caller) {
    return store.list().map(proxies -> new JsonArray(proxies.stream()
        .filter(proxy -> caller.mayAccess(proxy.owner()))
        .map(this::view)
        .toList()));
  }

  /** The ids of the proxies {@code caller} may see. */
  public Future<List<String>> visibleIds(Caller caller) {
    return store.list().map(proxies -> proxies.stream()
        .filter(proxy -> caller.mayAccess(proxy.owner()))
        .map(ProxyDefinition::id)
        .toList());
  }

  /**
   * Proxy {@code id} if {@code caller} may see it; else fails exactly as for a proxy that does not
   * exist, so nobody learns what others have.
   */
  public Future<ProxyDefinition> visible(Caller caller, String id) {
    return find(id).compose(proxy -> caller.mayAccess(proxy.owner()) ? Future.succeededFuture(proxy)
        : Future.failedFuture(ProxyException.notFound(id)));
  }

  /** The owner of proxy {@code id}, empty when there is no such proxy. */
  public Future<Optional<String>> owner(String id) {
    return store.find(id).map(found -> found.map(ProxyDefinition::owner));
  }

  /**
   * Gives every proxy made before accounts existed to {@code owner} (the first admin). Those
   * running here run on as their owner's (an admin's may reach private networks), and the other
   * nodes are told, so theirs do too.
   */
  public Future<Integer> adoptOrphans(String owner) {
    return changes.run(() -> store.adoptOrphans(owner).compose(adopted -> adopted == 0 ? Future.succeededFuture(0)
        : store.list().compose(stored -> {
          List<ProxyDefinition> owned = stored.stream().filter(proxy -> owner.equals(proxy.owner())).toList();
          Map<String, ProxyDefinition> runningHere = new HashMap<>();
          owned.stream().filter(proxy -> deployments.current(proxy.id()) != null && deployments.outOfStep(proxy))
              .forEach(proxy -> runningHere.put(proxy.id(), proxy));
          return follower.followEach(runningHere)
              .onSuccess(v -> owned.forEach(proxy -> announce(proxy.id())))
              .map(adopted);
        })));
  }

  /**
   * Applies {@code change} (such as {@link #stop}) to every running proxy that {@code which}
   * picks, all at once; one the change fails for is left as it is.
   */
  public Future<Void> eachRunning(Predicate<ProxyDefinition> which, Function<String, Future<?>> change) {
    return deployments.eachRunning(which, change);
  }

  public Future<JsonObject> get(String id) {
    return find(id).map(this::view);
  }

  /** Creates a proxy owned by {@code owner}. */
  public Future<JsonObject> create(JsonObject body, String owner) {
    return changes.run(() -> {
      ProxyDefinition proxy = input.create(body, owner);
      return checkUpstream(body, proxy)
          .compose(v -> checkSettings(proxy))
          .compose(v -> proxy.port() == 0 ? ports.place(proxy) : establish(proxy, false).map(proxy))
          .onSuccess(created -> ports.taken(created.port()))
          .onSuccess(created -> announce(created.id()))
          .map(this::view);
    });
  }

  public Future<JsonObject> update(String id, JsonObject patch) {
    return changes.run(() -> find(id).compose(current -> {
      ProxyDefinition changed = input.patch(current, patch);
      if (changed.port() == 0) {
        changed = changed.withPort(current.port());
      }
      ProxyDefinition next = changed;
      return checkUpstream(patch, next)
          .compose(v -> checkSettings(next))
          // Asked first here: a change that moved the proxy before the store refused it would cut
          // its requests in flight, and a port another proxy runs on here would be shared, not refused.
          .compose(v -> store.claimsOn(id, next.name(), next.port()))
          .compose(claims -> clash(next, claims).<Future<Void>>map(Future::failedFuture)
              .orElseGet(Future::succeededFuture))
          .compose(v -> deployments.transition(current, next).onFailure(e -> deployments.refused(id)))
          .compose(v -> store.update(next)
              .recover(e -> deployments.transition(next, current).transform(x -> explain(next, e))))
          .onSuccess(v -> {
            if (next.port() != current.port()) {
              ports.freed(current.port());
            }
          })
          .onSuccess(v -> announce(id))
          .map(v -> view(next));
    }));
  }

  public Future<JsonObject> start(String id) {
    return update(id, new JsonObject().put("status", "running"));
  }

  public Future<JsonObject> stop(String id) {
    return update(id, new JsonObject().put("status", "stopped"));
  }

  public Future<Void> delete(String id) {
    return changes.run(() -> find(id).compose(proxy -> deployments.transition(proxy, null)
        .compose(v -> store.delete(id))
        .onSuccess(v -> ports.freed(proxy.port()))
        .onSuccess(v -> deployments.forget(id))
        .onSuccess(v -> announce(id))
        .mapEmpty()));
  }

  /** At boot: starts every proxy that was running. One that cannot start is reported, not fatal. */
  public Future<Void> restore() {
    return changes.run(() -> store.list().compose(proxies -> {
      List<ProxyDefinition> running = proxies.stream().filter(ProxyDefinition::running).toList();
      // A group at a time: one after the other, a thousand proxies took seconds to come back, and
      // all at once would open every port and upstream session in the same instant.
      Future<Void> chain = Future.succeededFuture();
      for (int from = 0; from < running.size(); from += RESTORE_TOGETHER) {
        List<ProxyDefinition> group = running.subList(from, Math.min(from + RESTORE_TOGETHER, running.size()));
        chain = chain.compose(v -> Future.join(group.stream()
            .map(proxy -> deployments.transition(null, proxy).otherwiseEmpty())
            .toList()).otherwiseEmpty().mapEmpty());
      }
      return chain;
    }));
  }

  /**
   * At shutdown: closes every running proxy's port; what the user asked for stays stored as is.
   * It does not wait behind a change in progress (that one may be what hangs): changes asked
   * for from now on are refused, and each proxy's stop is bounded on its own.
   */
  public Future<Void> shutdown() {
    changes.close();
    follower.stop();
    return deployments.stopAll();
  }

  /**
   * Makes sure the demo proxy (provider mock) exists and sits on {@code port}; a new one belongs to
   * {@code owner} (the first admin; {@code null} while there is none, adopted by the first admin).
   */
  public Future<Void> ensureDemo(int port, String owner) {
    if (plugins.provider("mock").isEmpty()) {
      LOG.warn("No demo proxy: the mock provider plugin is not loaded");
      return Future.succeededFuture();
    }
    return store.list().compose(proxies -> {
      Optional<ProxyDefinition> demo = proxies.stream().filter(p -> p.name().equals(DEMO_NAME)).findFirst();
      if (demo.isEmpty()) {
        return create(new JsonObject().put("name", DEMO_NAME).put("provider", "mock").put("port", port), owner)
            .mapEmpty();
      }
      return demo.get().port() == port ? Future.succeededFuture()
          : update(demo.get().id(), new JsonObject().put("port", port)).mapEmpty();
    });
  }

  /**
   * Follows the plugins folder. A running proxy whose provider got a new jar moves to it without
   * closing its port (requests in flight finish on the old session); one whose provider went
   * closes its port and reads {@code failed} with why; one that should run and whose provider came
   * (back) starts. The stored status, what the user asked for, is never changed here: after a
   * restart the proxy runs again if its provider is there.
   */
  public Future<Void> providersChanged(PluginHost.PluginChange change) {
    return changes.run(() -> store.list().compose(proxies -> Future.join(proxies.stream()
            .filter(ProxyDefinition::running)
            .map(proxy -> deployments.follow(proxy, change).otherwiseEmpty())
            .toList())
        .mapEmpty()));
  }

  private JsonObject view(ProxyDefinition proxy) {
    return view.of(proxy, deployments.status(proxy.id()), deployments.failure(proxy.id()),
        deployments.inFlight(proxy.id()));
  }

  /**
   * Makes a new proxy hold its port and stores it; a refusal by the store closes the port again.
   * A running proxy starts on its port, unannounced until it is stored. A stopped one is stored on
   * the port the user chose as it is, and on one handed out ({@code placed}) only when it binds now.
   * <p>The store's unique name and port decide a clash: asking it first cost every creation a trip
   * (a sixth of its time once warm), and could not have seen a creation in flight on another node
   * anyway. Only a refusal looks for the proxy in the way.
   */
  private Future<Void> establish(ProxyDefinition proxy, boolean placed) {
    Future<Void> held = proxy.running() ? deployments.startUnannounced(proxy)
        : placed ? ports.probe(proxy.port()) : Future.succeededFuture();
    return held
        .compose(v -> store.insert(proxy)
            .recover(e -> deployments.discard(proxy.id()).transform(x -> Future.failedFuture(e))))
        .onSuccess(v -> {
          if (proxy.running()) {
            deployments.announce(proxy);
          }
        })
        .recover(e -> explain(proxy, e));
  }

  private Future<ProxyDefinition> find(String id) {
    return store.find(id).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ProxyException.notFound(id))));
  }

  /**
   * Where a new or changed upstream points, for the proxy's owner (an admin's may reach private
   * networks). Only when the request sets it: a fault or cache change is not refused for an
   * upstream saved earlier, which is checked again on every connection anyway.
   */
  private Future<Void> checkUpstream(JsonObject body, ProxyDefinition proxy) {
    return body.containsKey("upstream") ? upstreams.check(proxy.upstream(), proxy.owner()) : Future.succeededFuture();
  }

  /** Refuses a provider nobody loaded, options its description rules out, or the admin port. */
  private Future<Void> checkSettings(ProxyDefinition proxy) {
    if (plugins.provider(proxy.provider()).isEmpty()) {
      return Future.failedFuture(ProxyException.invalid("provider", "unknown provider " + Echo.quote(proxy.provider())
          + "; loaded providers: " + String.join(", ", plugins.providerIds()) + " (see GET /api/plugins)"));
    }
    try {
      ProviderOptionCheck.check(plugins.provider(proxy.provider()).orElseThrow(), proxy.options());
    } catch (ProxyException e) {
      return Future.failedFuture(e);
    }
    if (proxy.port() != 0 && proxy.port() == adminPort) {
      return Future.failedFuture(ProxyException.conflict("port", proxy.port() + " is the admin API's port"));
    }
    return Future.succeededFuture();
  }

  /**
   * Why {@code proxy} was refused its port or its row: another proxy with its name or port (one
   * trip to the store, which finds at most two rows by the unique indexes), else {@code error}
   * itself. A port clash reads as a port conflict, so a search for a free port moves on.
   */
  private <T> Future<T> explain(ProxyDefinition proxy, Throwable error) {
    return store.claimsOn(proxy.id(), proxy.name(), proxy.port()).transform(looked -> {
      Optional<ProxyException> clash = looked.succeeded() ? clash(proxy, looked.result()) : Optional.empty();
      return Future.failedFuture(clash.isPresent() ? clash.get()
          : StoreKind.uniqueViolation(error) ? letGo(proxy, error) : error);
    });
  }

  /**
   * The store refused {@code proxy}'s name or port, but no proxy had it any more when looked for:
   * another node changed or deleted that one in the same instant. A conflict all the same, and
   * trying again works.
   */
  private static ProxyException letGo(ProxyDefinition proxy, Throwable error) {
    boolean port = false;
    for (Throwable t = error; t != null && !port; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      // SQLite names the column, PostgreSQL the index (quoted, unlike the value it may go on to show).
      port = message.contains("UNIQUE constraint failed: proxies.port") || message.contains("\"proxies_port_key\"");
    }
    return ProxyException.conflict(port ? "port" : "name", "another proxy had " + (port ? "port " + proxy.port()
        : "the name '" + proxy.name() + "'") + " as this one was stored, and has let it go since (it was changed "
        + "on another node in that instant); try again");
  }

  /** The conflict with another proxy that has {@code proxy}'s name (first) or port, if any of {@code claims} does. */
  private static Optional<ProxyException> clash(ProxyDefinition proxy, List<ProxyStore.Claim> claims) {
    for (ProxyStore.Claim other : claims) {
      if (other.name().equals(proxy.name())) {
        return Optional.of(ProxyException.conflict("name",
            "a proxy named '" + proxy.name() + "' already exists (" + other.id() + ")"));
      }
    }
    for (ProxyStore.Claim other : claims) {
      if (other.port() == proxy.port()) {
        return Optional.of(StartFailures.portUsedBy(proxy.port(), other.name()));
      }
    }
    return Optional.empty();
  }
}
