package dev.faultline.proxy.control;

import dev.faultline.access.OwnerAddress;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.request.ProxyRuntime;
import dev.faultline.proxy.request.ProxyVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of the proxies: one {@link ProxyVerticle} deployment per running proxy, and why
 * a proxy that should run does not. Every start and stop is bounded in time, and announced on
 * {@link ProxyManager#STATUS_ADDRESS}. The {@link ProxyManager} decides what should run; this
 * makes it so.
 */
final class ProxyDeployments {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyDeployments.class);

  /** Binding a port and opening a provider session take milliseconds; this is for one that hangs. */
  private static final long START_TIMEOUT_SECONDS = 15;
  /** A stop lets requests in flight finish for 10 s, then closes the provider session. */
  private static final long STOP_TIMEOUT_SECONDS = 20;

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;
  private final ProxyManager.Settings settings;
  private final PluginHost plugins;
  private final ProxyRuntime runtime;
  private final Map<String, Deployment> live = new ConcurrentHashMap<>();
  /**
   * Deployments no longer live whose port is still closing (a discarded creation, the old port of
   * a move), by deployment id: their port is still held, for the same reason a live one's is.
   */
  private final Map<String, ProxyDefinition> closing = new ConcurrentHashMap<>();
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  private record Deployment(String deploymentId, ProxyDefinition proxy, List<ProxyVerticle> instances) {
  }

  /**
   * Why {@code proxy}, as it was then, could not run here.
   *
   * @param portHeldHere whether another proxy of this node had its port (which it may leave)
   * @param refusedHere  whether it was a change asked of this node and refused, so never stored
   */
  private record Failure(ProxyDefinition proxy, String reason, boolean portHeldHere, boolean refusedHere) {
  }

  ProxyDeployments(Vertx vertx, ProxyManager.Settings settings, PluginHost plugins, ProxyRuntime runtime) {
    this.vertx = vertx;
    this.settings = settings;
    this.plugins = plugins;
    this.runtime = runtime;
  }

  /** {@code running}, {@code failed} (should run, cannot: {@link #failure} says why) or {@code stopped}. */
  String status(String id) {
    return live.containsKey(id) ? "running" : failures.containsKey(id) ? "failed" : "stopped";
  }

  /** Requests the proxy is answering now, over all its event loops; 0 when it does not run. */
  int inFlight(String id) {
    Deployment deployment = live.get(id);
    return deployment == null ? 0 : deployment.instances().stream().mapToInt(ProxyVerticle::inFlight).sum();
  }

  String failure(String id) {
    Failure failure = failures.get(id);
    return failure == null ? null : failure.reason();
  }

  /** What proxy {@code id} runs with here now; {@code null} when it does not run. */
  ProxyDefinition current(String id) {
    Deployment deployment = live.get(id);
    return deployment == null ? null : deployment.proxy();
  }

  void forget(String id) {
    failures.remove(id);
  }

  /**
   * Whether what runs here differs from {@code stored}: it should run and does not, runs and
   * should not, or runs other settings. One that could not run as stored is out of step again only
   * once it is stored otherwise, or once the proxy here that had its port has left it: tried again
   * unchanged, it would fail, and be reported, again. A start refused here is not undone by the
   * stored {@code stopped}: the failure says why the start asked for did not happen.
   */
  boolean outOfStep(ProxyDefinition stored) {
    Deployment current = live.get(stored.id());
    if (current != null) {
      return !current.proxy().equals(stored);
    }
    Failure failure = failures.get(stored.id());
    if (!stored.running()) {
      return failure != null && !failure.refusedHere();
    }
    if (failure != null && failure.proxy().equals(stored)) {
      return failure.portHeldHere() && portHeldByAnother(stored) == null;
    }
    return true;
  }

  /** The change asked of this node for proxy {@code id} was refused, and nothing of it stored. */
  void refused(String id) {
    failures.computeIfPresent(id, (key, failure) ->
        new Failure(failure.proxy(), failure.reason(), failure.portHeldHere(), true));
  }

  /** The ids of the proxies this node runs, or failed to run. */
  Set<String> known() {
    Set<String> ids = new HashSet<>(live.keySet());
    ids.addAll(failures.keySet());
    return ids;
  }

  /**
   * Starts a new proxy without telling anyone yet: {@link #announce} tells that it runs once it is
   * stored, {@link #discard} stops it unheard of when it is not.
   */
  Future<Void> startUnannounced(ProxyDefinition proxy) {
    return deploy(proxy, false);
  }

  /** A proxy {@link #startUnannounced started unannounced} was stored: it runs, as everyone may now hear. */
  void announce(ProxyDefinition proxy) {
    publish(proxy, "running", null);
    LOG.info("Proxy '{}' ({}, provider {}) listening on {}:{}", proxy.name(), proxy.id(), proxy.provider(),
        settings.host(), proxy.port());
  }

  /** Stops a proxy {@link #startUnannounced started unannounced} that was not stored, as if it had never run. */
  Future<Void> discard(String id) {
    Deployment deployment = live.remove(id);
    return deployment == null ? Future.succeededFuture() : close(deployment);
  }

  /** Applies {@code change} to every running proxy that {@code which} picks, all at once. */
  Future<Void> eachRunning(Predicate<ProxyDefinition> which, Function<String, Future<?>> change) {
    return Future.all(live.values().stream()
            .map(Deployment::proxy)
            .filter(which)
            .map(proxy -> change.apply(proxy.id()).otherwiseEmpty())
            .toList())
        .mapEmpty();
  }

  /** Closes every port, each stop bounded on its own. */
  Future<Void> stopAll() {
    return Future.join(live.values().stream().map(this::undeploy).toList()).mapEmpty();
  }

  /**
   * Makes the live state match {@code to} (null: not running), starting from {@code from}:
   * deploys, undeploys, moves to a new port (new one bound before the old one closes), or
   * reconfigures in place without closing the port.
   */
  Future<Void> transition(ProxyDefinition from, ProxyDefinition to) {
    String id = to != null ? to.id() : from.id();
    Deployment current = live.get(id);
    if (to == null || !to.running()) {
      failures.remove(id);
      return current == null ? Future.succeededFuture() : undeploy(current);
    }
    if (current == null) {
      return deploy(to, true);
    }
    if (current.proxy().port() != to.port()) {
      // The move is done once the new port listens; an old port slow to close is only reported.
      return deploy(to, true).compose(v -> close(current)
          .otherwise(e -> {
            LOG.warn("Proxy '{}' moved to port {}, but its old port {} did not close: {}", to.name(), to.port(),
                current.proxy().port(), e.toString());
            return null;
          }));
    }
    return reconfigureLive(current, to, plugins.provider(to.provider()).orElseThrow())
        .recover(e -> reconfigure(current, current.proxy(), plugins.provider(current.proxy().provider()).orElseThrow())
            .transform(x -> Future.failedFuture(StartFailures.translate(e, to))));
  }

  /**
   * Makes proxy {@code id} here match what another node stored ({@code null}: deleted). Unlike
   * {@link #transition} nothing is kept to roll back to, as the store already says otherwise: a
   * proxy that cannot run as stored (its new port busy, its provider not loaded here, its settings
   * refused by this node's plugin) is down here and reads failed, with why.
   */
  Future<Void> match(String id, ProxyDefinition stored) {
    Deployment current = live.get(id);
    if (stored == null || !stored.running()) {
      failures.remove(id);
      return current == null ? Future.succeededFuture() : undeploy(current);
    }
    if (current == null) {
      return deploy(stored, true);
    }
    Provider provider = plugins.provider(stored.provider()).orElse(null);
    if (provider == null) {
      return undeployFailed(current, stored, "provider '" + stored.provider() + "' is not loaded (see GET /api/plugins)");
    }
    if (current.proxy().port() != stored.port()) {
      // The new port opens before the old one closes, as in a move made here; failed, it closes the old one too.
      return transition(current.proxy(), stored).recover(e -> {
        live.remove(id, current);
        return close(current).transform(x -> Future.failedFuture(e));
      });
    }
    return reconfigureLive(current, stored, provider)
        .recover(e -> undeployFailed(current, stored, StartFailures.translate(e, stored).getMessage()));
  }

  /**
   * Follows a change of the plugins folder for one proxy that should run: moves it to its
   * provider's new jar without closing its port, takes it down (failed, with why) when its
   * provider went, starts it when its provider came (back).
   */
  Future<Void> follow(ProxyDefinition stored, PluginHost.PluginChange change) {
    Deployment current = live.get(stored.id());
    String removal = change.removedProviders().get(stored.provider());
    if (removal != null) {
      return current != null ? undeployFailed(current, current.proxy(), removal) : markFailed(stored, removal);
    }
    if (change.replacedProviders().contains(stored.provider())) {
      return current != null ? moveToNewProvider(current) : deploy(stored, true);
    }
    if (change.addedProviders().contains(stored.provider()) && current == null) {
      return deploy(stored, true);
    }
    return Future.succeededFuture();
  }

  /** Reopens the proxy's sessions on its provider's new implementation, port open throughout. */
  private Future<Void> moveToNewProvider(Deployment current) {
    ProxyDefinition proxy = current.proxy();
    Provider provider = plugins.provider(proxy.provider()).orElse(null);
    if (provider == null) {
      return undeployFailed(current, proxy, "provider plugin '" + proxy.provider() + "' was removed");
    }
    return reconfigure(current, proxy, provider)
        .onSuccess(v -> LOG.info("Proxy '{}' ({}) now uses the new jar of provider {}; port {} stayed open",
            proxy.name(), proxy.id(), proxy.provider(), proxy.port()))
        // The new implementation refuses the proxy's settings: it cannot keep serving on the old one.
        .recover(e -> undeployFailed(current, proxy, StartFailures.translate(e, proxy).getMessage()));
  }

  /** Reconfigures a running proxy in place; once done, it runs as {@code to}. */
  private Future<Void> reconfigureLive(Deployment current, ProxyDefinition to, Provider provider) {
    return reconfigure(current, to, provider).onSuccess(v -> {
      live.put(to.id(), new Deployment(current.deploymentId(), to, current.instances()));
      failures.remove(to.id());
    });
  }

  private Future<Void> reconfigure(Deployment deployment, ProxyDefinition proxy, Provider provider) {
    return Future.all(deployment.instances().stream().map(v -> v.reconfigure(proxy, provider)).toList()).mapEmpty();
  }

  /**
   * Refused at once on a port another proxy runs on here: Vert.x would share the port with the
   * second server rather than refuse it, and the two proxies would take turns at the first one's
   * callers (and their keys).
   *
   * @param announced whether its start, or why it failed, is published and logged now
   */
  private Future<Void> deploy(ProxyDefinition proxy, boolean announced) {
    Provider provider = plugins.provider(proxy.provider()).orElse(null);
    ProxyException held = provider == null ? null : portHeldByAnother(proxy);
    ProxyException refused = provider == null ? ProxyException.invalid("provider",
        "provider '" + proxy.provider() + "' is not loaded (see GET /api/plugins)") : held;
    if (refused != null) {
      return Future.failedFuture(announced ? fail(proxy, refused, held != null) : refused);
    }
    List<ProxyVerticle> instances = new CopyOnWriteArrayList<>();
    Supplier<ProxyVerticle> factory = () -> {
      ProxyVerticle verticle = new ProxyVerticle(proxy, provider, runtime);
      instances.add(verticle);
      return verticle;
    };
    Future<String> deployment = vertx.deployVerticle(factory, new DeploymentOptions().setInstances(settings.instances()));
    return bounded(deployment, START_TIMEOUT_SECONDS)
        .recover(e -> {
          if (deployment.isComplete()) {
            return Future.failedFuture(e);
          }
          // Given up: should it still come up, nobody asked for it any more; its port is held until it has closed.
          deployment.onSuccess(late -> close(new Deployment(late, proxy, instances)));
          return Future.failedFuture(ProxyException.unavailable("proxy '" + proxy.name() + "' did not start within "
              + START_TIMEOUT_SECONDS + " s (provider '" + proxy.provider() + "'); it was not started"));
        })
        .onSuccess(deploymentId -> {
          live.put(proxy.id(), new Deployment(deploymentId, proxy, instances));
          failures.remove(proxy.id());
          if (announced) {
            announce(proxy);
          }
        })
        .recover(e -> {
          ProxyException failed = StartFailures.translate(e, proxy);
          return Future.failedFuture(announced ? fail(proxy, failed, false) : failed);
        })
        .mapEmpty();
  }

  /** The conflict when another proxy runs on {@code proxy}'s port here, or is still closing it; null when none does. */
  private ProxyException portHeldByAnother(ProxyDefinition proxy) {
    for (Deployment running : live.values()) {
      if (running.proxy().port() == proxy.port() && !running.proxy().id().equals(proxy.id())) {
        return StartFailures.portUsedBy(proxy.port(), running.proxy().name());
      }
    }
    for (ProxyDefinition leaving : closing.values()) {
      if (leaving.port() == proxy.port()) {
        return ProxyException.conflict("port", proxy.port() + " is still closing after proxy '" + leaving.name()
            + "' left it; try again in a moment");
      }
    }
    return null;
  }

  /** Undeploys {@code deployment}, which is no longer live; its port counts as held until it has closed. */
  private Future<Void> close(Deployment deployment) {
    closing.put(deployment.deploymentId(), deployment.proxy());
    Future<Void> undeployment = vertx.undeploy(deployment.deploymentId())
        .onComplete(r -> closing.remove(deployment.deploymentId()));
    return bounded(undeployment, STOP_TIMEOUT_SECONDS);
  }

  private Future<Void> undeploy(Deployment deployment) {
    ProxyDefinition proxy = deployment.proxy();
    Future<Void> undeployment = vertx.undeploy(deployment.deploymentId())
        .onComplete(r -> {
          // This deployment only: a move may have put the proxy's next one in its place meanwhile.
          live.remove(proxy.id(), deployment);
          publish(proxy, "stopped", null);
          LOG.info("Proxy '{}' ({}) stopped; port {} closed", proxy.name(), proxy.id(), proxy.port());
        });
    // Still running as far as anyone can tell until it does stop: the change that asked fails.
    return bounded(undeployment, STOP_TIMEOUT_SECONDS)
        .recover(e -> undeployment.isComplete() ? Future.failedFuture(e)
            : Future.failedFuture(ProxyException.unavailable("proxy '" + proxy.name() + "' did not stop within "
                + STOP_TIMEOUT_SECONDS + " s; it is still shown as running until it does")));
  }

  /**
   * Takes a proxy down because it cannot run as {@code proxy} says (its provider went, or refuses
   * its settings): it reads failed, with why.
   */
  private Future<Void> undeployFailed(Deployment deployment, ProxyDefinition proxy, String reason) {
    Future<Void> undeployment = vertx.undeploy(deployment.deploymentId())
        .onComplete(r -> {
          live.remove(proxy.id(), deployment);
          markFailed(proxy, reason);
        });
    return bounded(undeployment, STOP_TIMEOUT_SECONDS);
  }

  private Future<Void> markFailed(ProxyDefinition proxy, String reason) {
    failures.put(proxy.id(), new Failure(proxy, reason, false, false));
    publish(proxy, "failed", reason);
    LOG.warn("Proxy '{}' ({}) is down, port {} closed: {}", proxy.name(), proxy.id(), proxy.port(), reason);
    return Future.succeededFuture();
  }

  private ProxyException fail(ProxyDefinition proxy, ProxyException error, boolean portHeldHere) {
    failures.put(proxy.id(), new Failure(proxy, error.getMessage(), portHeldHere, false));
    publish(proxy, "failed", error.getMessage());
    LOG.warn("Proxy '{}' ({}) could not start: {}", proxy.name(), proxy.id(), error.getMessage());
    return error;
  }

  /**
   * To everyone who may see all proxies, and to the owner's own subscribers, on this node alone:
   * in a cluster each node runs (or fails to run) the proxy on its own, and a dashboard shows the
   * node it is connected to, as the admin API it reads does.
   */
  private void publish(ProxyDefinition proxy, String status, String error) {
    JsonObject change = new JsonObject()
        .put("proxy_id", proxy.id())
        .put("name", proxy.name())
        .put("port", proxy.port())
        .put("status", status)
        .put("error", error)
        .put("ts", Instant.now().toString());
    vertx.eventBus().publish(ProxyManager.STATUS_ADDRESS, change, LOCAL);
    if (proxy.owner() != null) {
      vertx.eventBus().publish(OwnerAddress.of(ProxyManager.STATUS_ADDRESS, proxy.owner()), change, LOCAL);
    }
  }

  private static <T> Future<T> bounded(Future<T> step, long seconds) {
    return step.timeout(seconds, TimeUnit.SECONDS);
  }
}
