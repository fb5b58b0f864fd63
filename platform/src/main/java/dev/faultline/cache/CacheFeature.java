package dev.faultline.cache;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.HealthSection;
import dev.faultline.feature.Feature;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.proxy.request.InterceptorFactory;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import java.util.List;

/**
 * The response cache: each proxy's {@code cache} block, its step (request phase, after the
 * faults), its writer (up before any proxy serves), its routes and its part of {@code /healthz}.
 */
public final class CacheFeature implements Feature {

  private final ResponseCache cache;
  private final CacheAdmin admin;

  public CacheFeature(Database database) {
    this.cache = new ResponseCache(database);
    this.admin = new CacheAdmin(cache);
  }

  @Override
  public List<ProxyBlock> blocks() {
    return List.of(CacheSettings.BLOCK);
  }

  @Override
  public List<InterceptorFactory> requestSteps() {
    return List.of(cache.interceptors());
  }

  @Override
  public Future<Void> start(Deployer deployer) {
    return deployer.deploy(cache).mapEmpty();
  }

  @Override
  public List<ApiRoutes> routes(ProxyManager proxies) {
    return List.of(new CacheRoutes(admin, proxies));
  }

  @Override
  public List<HealthSection> health() {
    return List.of(HealthSection.of("cache", admin::health, admin::healthy));
  }
}
