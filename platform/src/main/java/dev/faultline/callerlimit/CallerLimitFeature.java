package dev.faultline.callerlimit;

import dev.faultline.feature.Feature;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.request.AcceptCheckFactory;
import java.util.List;

/**
 * A proxy's own limit on its callers: the {@code caller_limit} block, checked at accept. The host
 * lists it after the IP filter, which names the caller, so a refused address takes nothing from
 * anyone's limit.
 */
public final class CallerLimitFeature implements Feature {

  private final CallerLimits limits = new CallerLimits();

  @Override
  public List<ProxyBlock> blocks() {
    return List.of(CallerLimitSettings.BLOCK);
  }

  @Override
  public List<AcceptCheckFactory> acceptChecks() {
    return List.of(limits.checks());
  }
}
