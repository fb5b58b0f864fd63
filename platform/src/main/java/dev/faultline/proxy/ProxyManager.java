package dev.faultline.proxy;

import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderOptionException;
import dev.faultline.plugins.PluginHost;
import dev.faultline.store.ProxyStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, changes, starts, stops and deletes proxies, and keeps the running ones deployed:
 * one {@link ProxyVerticle} deployment per running proxy. Every change is all-or-nothing: a
 * proxy is stored only once its port is bound, and a refused change leaves the proxy as it was.
 * Changes run one at a time, so two requests can never take the same port or name; each one is
 * bounded in time, so one that never finishes fails alone and the changes after it go ahead.
 */
public final class ProxyManager {

  /** Event-bus address where a proxy's start, stop and failure are published. */
  public static final String STATUS_ADDRESS = "faultline.proxy.status";
  public static final String DEMO_NAME = "demo";

  private static final Logger LOG = LoggerFactory.getLogger(ProxyManager.class);

  /** Binding a port and opening a provider session take milliseconds; this is for one that hangs. */
  private static final long START_TIMEOUT_SECONDS = 15;
  /** A stop lets requests in flight finish for 10 s, then closes the provider session. */
  private static final long STOP_TIMEOUT_SECONDS = 20;
  /** The last bound on a whole change (several steps and store calls), after which the next one goes. */
  static final long CHANGE_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final FaultlineConfig config;
  private final ProxyStore store;
  private final PluginHost plugins;
  private final ProxyInput input;
  private final ProxyBlocks blocks;
  private final ProxyRuntime runtime;
  private final Map<String, Deployment> live = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private volatile int adminPort;
  private Future<?> queue = Future.succeededFuture();
  private volatile boolean closing;
  private volatile long changeTimeoutMs = TimeUnit.SECONDS.toMillis(CHANGE_TIMEOUT_SECONDS);

  private record Deployment(String deploymentId, ProxyDefinition proxy, List<ProxyVerticle> instances) {
  }

  public ProxyManager(Vertx vertx, FaultlineConfig config, ProxyStore store, PluginHost plugins, ProxyBlocks blocks,
                      ProxyRuntime runtime) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.plugins = plugins;
    this.blocks = blocks;
    this.input = new ProxyInput(blocks);
    this.runtime = runtime;
    this.adminPort = config.adminPort();
  }

  /** For tests: how long a whole change may take before it is given up. */
  void changeTimeout(long millis) {
    this.changeTimeoutMs = millis;
  }

  /** The port the admin API actually bound, which no proxy may take. */
  public void adminPort(int port) {
    this.adminPort = port;
  }

  public Future<JsonArray> list() {
    return store.list().map(proxies -> new JsonArray(proxies.stream().map(this::view).toList()));
  }

  /**
   * Applies {@code change} (such as {@link #stop}) to every running proxy that {@code which}
   * picks, all at once; one the change fails for is left as it is.
   */
  public Future<Void> eachRunning(Predicate<ProxyDefinition> which, Function<String, Future<?>> change) {
    return Future.all(live.values().stream()
            .map(Deployment::proxy)
            .filter(which)
            .map(proxy -> change.apply(proxy.id()).otherwiseEmpty())
            .toList())
        .mapEmpty();
  }

  public Future<JsonObject> get(String id) {
    return find(id).map(this::view);
  }

  public Future<JsonObject> create(JsonObject body) {
    return serialized(() -> {
      ProxyDefinition proxy = input.create(body);
      return checkAgainstOthers(proxy)
          .compose(others -> proxy.port() == 0 ? assignPort(proxy, others) : transition(null, proxy).map(proxy))
          .compose(created -> store.insert(created)
              .recover(e -> transition(created, null).transform(v -> Future.failedFuture(e)))
              .map(v -> view(created)));
    });
  }

  public Future<JsonObject> update(String id, JsonObject patch) {
    return serialized(() -> find(id).compose(current -> {
      ProxyDefinition changed = input.patch(current, patch);
      if (changed.port() == 0) {
        changed = changed.withPort(current.port());
      }
      ProxyDefinition next = changed;
      return checkAgainstOthers(next)
          .compose(others -> transition(current, next))
          .compose(v -> store.update(next).recover(e -> transition(next, current).transform(x -> Future.failedFuture(e))))
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
    return serialized(() -> find(id).compose(proxy -> transition(proxy, null)
        .compose(v -> store.delete(id))
        .onSuccess(v -> failures.remove(id))
        .mapEmpty()));
  }

  /** At boot: starts every proxy that was running. One that cannot start is reported, not fatal. */
  public Future<Void> restore() {
    return serialized(() -> store.list().compose(proxies -> {
      Future<Void> chain = Future.succeededFuture();
      for (ProxyDefinition proxy : proxies) {
        if (proxy.running()) {
          chain = chain.compose(v -> transition(null, proxy).otherwiseEmpty().mapEmpty());
        }
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
    closing = true;
    return Future.join(live.values().stream().map(this::undeploy).toList()).mapEmpty();
  }

  /** Makes sure the demo proxy (provider mock) exists and sits on {@code port}. */
  public Future<Void> ensureDemo(int port) {
    if (plugins.provider("mock").isEmpty()) {
      LOG.warn("No demo proxy: the mock provider plugin is not loaded");
      return Future.succeededFuture();
    }
    return store.list().compose(proxies -> {
      Optional<ProxyDefinition> demo = proxies.stream().filter(p -> p.name().equals(DEMO_NAME)).findFirst();
      if (demo.isEmpty()) {
        return create(new JsonObject().put("name", DEMO_NAME).put("provider", "mock").put("port", port)).mapEmpty();
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
    return serialized(() -> store.list().compose(proxies -> Future.join(proxies.stream()
            .filter(ProxyDefinition::running)
            .map(proxy -> followProvider(proxy, change).otherwiseEmpty())
            .toList())
        .mapEmpty()));
  }

  private Future<Void> followProvider(ProxyDefinition stored, PluginHost.PluginChange change) {
    Deployment current = live.get(stored.id());
    String removal = change.removedProviders().get(stored.provider());
    if (removal != null) {
      return current != null ? undeployFailed(current, removal) : markFailed(stored, removal);
    }
    if (change.replacedProviders().contains(stored.provider())) {
      return current != null ? moveToNewProvider(current) : deploy(stored);
    }
    if (change.addedProviders().contains(stored.provider()) && current == null) {
      return deploy(stored);
    }
    return Future.succeededFuture();
  }

  /** Reopens the proxy's sessions on its provider's new implementation, port open throughout. */
  private Future<Void> moveToNewProvider(Deployment current) {
    ProxyDefinition proxy = current.proxy();
    Provider provider = plugins.provider(proxy.provider()).orElse(null);
    if (provider == null) {
      return undeployFailed(current, "provider plugin '" + proxy.provider() + "' was removed");
    }
    return Future.all(current.instances().stream().map(v -> v.reconfigure(proxy, provider)).toList())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("Proxy '{}' ({}) now uses the new jar of provider {}; port {} stayed open",
            proxy.name(), proxy.id(), proxy.provider(), proxy.port()))
        // The new implementation refuses the proxy's settings: it cannot keep serving on the old one.
        .recover(e -> undeployFailed(current, translate(e, proxy).getMessage()));
  }

  private Future<Void> undeployFailed(Deployment deployment, String reason) {
    ProxyDefinition proxy = deployment.proxy();
    return vertx.undeploy(deployment.deploymentId())
        .onComplete(r -> {
          live.remove(proxy.id());
          markFailed(proxy, reason);
        });
  }

  private Future<Void> markFailed(ProxyDefinition proxy, String reason) {
    failures.put(proxy.id(), reason);
    publish(proxy, "failed", reason);
    LOG.warn("Proxy '{}' ({}) is down, port {} closed: {}", proxy.name(), proxy.id(), proxy.port(), reason);
    return Future.succeededFuture();
  }

  /** The live JSON view of a proxy, as the admin API shows it. */
  private JsonObject view(ProxyDefinition proxy) {
    String upstream = proxy.upstream() != null ? Upstreams.masked(proxy.upstream())
        : plugins.provider(proxy.provider()).flatMap(Provider::defaultUpstream).orElse(null);
    String status = live.containsKey(proxy.id()) ? "running" : failures.containsKey(proxy.id()) ? "failed" : "stopped";
    return new JsonObject()
        .put("id", proxy.id())
        .put("name", proxy.name())
        .put("provider", proxy.provider())
        .put("upstream", upstream)
        .put("port", proxy.port())
        .put("url", "http://" + config.host() + ":" + proxy.port() + "/v1")
        .put("status", status)
        .put("error", failures.get(proxy.id()))
        .put("require_api_key", proxy.requireApiKey())
        .put("options", proxy.options().copy())
        .mergeIn(proxy.blocks().copy())
        .put("created_at", proxy.createdAt().toString())
        .put("updated_at", proxy.updatedAt().toString());
  }

  private Future<ProxyDefinition> find(String id) {
    return store.find(id).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ProxyException.notFound(id))));
  }

  /** Refuses a provider nobody loaded, a name or port another proxy has, or the admin port. */
  private Future<List<ProxyDefinition>> checkAgainstOthers(ProxyDefinition proxy) {
    if (plugins.provider(proxy.provider()).isEmpty()) {
      return Future.failedFuture(ProxyException.invalid("provider", "unknown provider " + Echo.quote(proxy.provider())
          + "'; loaded providers: " + String.join(", ", plugins.providerIds()) + " (see GET /api/plugins)"));
    }
    if (proxy.port() != 0 && proxy.port() == adminPort) {
      return Future.failedFuture(ProxyException.conflict("port", proxy.port() + " is the admin API's port"));
    }
    return store.list().map(all -> {
      List<ProxyDefinition> others = all.stream().filter(p -> !p.id().equals(proxy.id())).toList();
      for (ProxyDefinition other : others) {
        if (other.name().equals(proxy.name())) {
          throw ProxyException.conflict("name", "a proxy named '" + proxy.name() + "' already exists (" + other.id() + ")");
        }
        if (other.port() == proxy.port()) {
          throw ProxyException.conflict("port", proxy.port() + " is already used by proxy '" + other.name() + "'");
        }
      }
      return others;
    });
  }

  /** The first port of the configured range that no proxy has and that binds. */
  private Future<ProxyDefinition> assignPort(ProxyDefinition proxy, List<ProxyDefinition> others) {
    return tryPorts(proxy, others, config.portRangeFrom());
  }

  private Future<ProxyDefinition> tryPorts(ProxyDefinition proxy, List<ProxyDefinition> others, int port) {
    while (port <= config.portRangeTo() && (port == adminPort || taken(others, port))) {
      port++;
    }
    if (port > config.portRangeTo()) {
      return Future.failedFuture(ProxyException.conflict("port", "no free port left in the range "
          + config.portRangeFrom() + "-" + config.portRangeTo() + " (setting proxies.port_range)"));
    }
    int candidate = port;
    ProxyDefinition placed = proxy.withPort(candidate);
    Future<Void> claim = placed.running() ? transition(null, placed) : probe(candidate);
    return claim.map(placed).recover(e -> isPortConflict(e)
        ? tryPorts(proxy, others, candidate + 1) : Future.failedFuture(e));
  }

  private static boolean taken(List<ProxyDefinition> proxies, int port) {
    return proxies.stream().anyMatch(p -> p.port() == port);
  }

  /** Whether a stopped proxy could bind {@code port} now. */
  private Future<Void> probe(int port) {
    return vertx.executeBlocking(() -> {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(config.host()))) {
        return null;
      } catch (BindException e) {
        throw ProxyException.conflict("port", port + " is already in use by another program");
      }
    });
  }

  /**
   * Makes the live state match {@code to} (null: not running), starting from {@code from}:
   * deploys, undeploys, moves to a new port (new one bound before the old one closes), or
   * reconfigures in place without closing the port.
   */
  private Future<Void> transition(ProxyDefinition from, ProxyDefinition to) {
    String id = to != null ? to.id() : from.id();
    Deployment current = live.get(id);
    if (to == null || !to.running()) {
      failures.remove(id);
      return current == null ? Future.succeededFuture() : undeploy(current);
    }
    if (current == null) {
      return deploy(to);
    }
    if (current.proxy().port() != to.port()) {
      // The move is done once the new port listens; an old port slow to close is only reported.
      return deploy(to).compose(v -> vertx.undeploy(current.deploymentId())
          .timeout(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .otherwise(e -> {
            LOG.warn("Proxy '{}' moved to port {}, but its old port {} did not close: {}", to.name(), to.port(),
                current.proxy().port(), e.toString());
            return null;
          }));
    }
    Provider provider = plugins.provider(to.provider()).orElseThrow();
    return Future.all(current.instances().stream().map(v -> v.reconfigure(to, provider)).toList())
        .<Void>mapEmpty()
        .onSuccess(v -> live.put(id, new Deployment(current.deploymentId(), to, current.instances())))
        .recover(e -> Future.all(current.instances().stream().map(v -> v.reconfigure(current.proxy(),
                plugins.provider(current.proxy().provider()).orElseThrow())).toList())
            .transform(x -> Future.failedFuture(translate(e, to))));
  }

  private Future<Void> deploy(ProxyDefinition proxy) {
    Provider provider = plugins.provider(proxy.provider()).orElse(null);
    if (provider == null) {
      return Future.failedFuture(fail(proxy, ProxyException.invalid("provider",
          "provider '" + proxy.provider() + "' is not loaded (see GET /api/plugins)")));
    }
    List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
    Supplier<ProxyVerticle> factory = () -> {
      ProxyVerticle verticle = new ProxyVerticle(proxy, provider, runtime);
      instances.add(verticle);
      return verticle;
    };
    Future<String> deployment = vertx.deployVerticle(factory,
        new DeploymentOptions().setInstances(config.proxyInstances()));
    return deployment.timeout(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .recover(e -> {
          if (deployment.isComplete()) {
            return Future.failedFuture(e);
          }
          // Given up: should it still come up, nobody asked for it any more.
          deployment.onSuccess(vertx::undeploy);
          return Future.failedFuture(ProxyException.unavailable("proxy '" + proxy.name() + "' did not start within "
              + START_TIMEOUT_SECONDS + " s (provider '" + proxy.provider() + "'); it was not started"));
        })
        .onSuccess(deploymentId -> {
          live.put(proxy.id(), new Deployment(deploymentId, proxy, instances));
          failures.remove(proxy.id());
          publish(proxy, "running", null);
          LOG.info("Proxy '{}' ({}, provider {}) listening on {}:{}", proxy.name(), proxy.id(), proxy.provider(),
              config.host(), proxy.port());
        })
        .recover(e -> Future.failedFuture(fail(proxy, translate(e, proxy))))
        .mapEmpty();
  }

  private Future<Void> undeploy(Deployment deployment) {
    ProxyDefinition proxy = deployment.proxy();
    Future<Void> undeployment = vertx.undeploy(deployment.deploymentId())
        .onComplete(r -> {
          live.remove(proxy.id());
          publish(proxy, "stopped", null);
          LOG.info("Proxy '{}' ({}) stopped; port {} closed", proxy.name(), proxy.id(), proxy.port());
        });
    // Still running as far as anyone can tell until it does stop: the change that asked fails.
    return undeployment.timeout(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .recover(e -> undeployment.isComplete() ? Future.failedFuture(e)
            : Future.failedFuture(ProxyException.unavailable("proxy '" + proxy.name() + "' did not stop within "
                + STOP_TIMEOUT_SECONDS + " s; it is still shown as running until it does")));
  }

  private ProxyException fail(ProxyDefinition proxy, ProxyException error) {
    failures.put(proxy.id(), error.getMessage());
    publish(proxy, "failed", error.getMessage());
    LOG.warn("Proxy '{}' ({}) could not start: {}", proxy.name(), proxy.id(), error.getMessage());
    return error;
  }

  private static ProxyException translate(Throwable error, ProxyDefinition proxy) {
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

  private static boolean isPortConflict(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")
          || t instanceof ProxyException p && p.status() == 409 && "port".equals(p.field())) {
        return true;
      }
    }
    return false;
  }

  private void publish(ProxyDefinition proxy, String status, String error) {
    vertx.eventBus().publish(STATUS_ADDRESS, new JsonObject()
        .put("proxy_id", proxy.id())
        .put("name", proxy.name())
        .put("port", proxy.port())
        .put("status", status)
        .put("error", error)
        .put("ts", Instant.now().toString()));
  }

  /**
   * Runs admin changes one after another, each seeing the previous one's outcome. A change that
   * has not finished after {@link #CHANGE_TIMEOUT_SECONDS} fails, and the queue moves on.
   */
  private synchronized <T> Future<T> serialized(Supplier<Future<T>> change) {
    Promise<T> result = Promise.promise();
    queue = queue.transform(previous -> {
      Future<T> bounded = bounded(begin(change));
      bounded.onComplete(result);
      return bounded.otherwiseEmpty();
    });
    return result.future();
  }

  private <T> Future<T> begin(Supplier<Future<T>> change) {
    if (closing) {
      return Future.failedFuture(ProxyException.unavailable("Faultline is shutting down; no change is made"));
    }
    try {
      return change.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private <T> Future<T> bounded(Future<T> change) {
    return change.timeout(changeTimeoutMs, TimeUnit.MILLISECONDS).recover(e -> {
      if (change.isComplete()) {
        return Future.failedFuture(e);
      }
      LOG.error("A proxy change did not finish within {} ms; the next change goes ahead", changeTimeoutMs);
      return Future.failedFuture(ProxyException.unavailable("the change did not finish within "
          + changeTimeoutMs / 1000 + " s and was given up; GET the proxy to see its state now"));
    });
  }
}
