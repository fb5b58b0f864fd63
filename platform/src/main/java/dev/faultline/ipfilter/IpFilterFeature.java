package dev.faultline.ipfilter;

import dev.faultline.feature.Feature;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.request.AcceptCheckFactory;
import java.util.List;

/** IP filtering: each proxy's {@code ip} block, checked at accept, before the body is read. */
public final class IpFilterFeature implements Feature {

  private final List<IpRule> trustedProxies;

  /**
   * @param trustedProxies addresses, CIDR blocks or wildcards of reverse proxies whose forwarding
   *                       headers name the caller (setting {@code proxies.trusted_proxies})
   */
  public IpFilterFeature(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(IpRule::parse).toList();
  }

  @Override
  public List<ProxyBlock> blocks() {
    return List.of(new IpAccess.Block());
  }

  @Override
  public List<AcceptCheckFactory> acceptChecks() {
    return List.of(IpFilter.factory(trustedProxies));
  }
}
