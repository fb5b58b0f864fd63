package dev.faultline.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import java.util.List;

/**
 * The proxy's own upstream timeout, listed among the faults so one list says how a proxy fails:
 * when the upstream has not answered {@code ms} after the request went to it, the caller gets a
 * provider-shaped 504 and the upstream's answer, when it comes, is cancelled. A setting, not a
 * sampled fault: it has no rate or schedule, and the last pipeline step applies it (after the
 * cache, so a hit never waits on it).
 */
final class UpstreamTimeout implements FaultStrategy {

  static final String ID = "upstream-timeout";
  static final String MS = "ms";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String description() {
    return "The proxy's own upstream timeout: a 504 when the upstream has not answered in time (a setting: "
        + "no rate or schedule)";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(FaultParam.integer(MS, "milliseconds the upstream has to answer").withRange(1, 3_600_000)
        .asRequired());
  }

  /** Decides nothing: {@link UpstreamTimeoutInterceptor} applies it. */
  @Override
  public Fault create(FaultParams params, FaultContext context) {
    return request -> FaultDecision.pass();
  }

  /** The gateway timeout of the request's API, saying how long the upstream had. */
  static ApiError error(long millis, Dialect dialect, String model) {
    ApiError usual = dialect.error(504, null, model);
    return new ApiError(504, usual.type(), usual.code(),
        "Request timed out: the upstream did not answer within " + millis + " ms.", null, Headers.empty());
  }
}
