package dev.faultline.plugin.api;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A kind of failure a proxy can inject: an HTTP error, a rate limiter, latency, a hang, a broken
 * stream, a dropped connection, anything a third party can think of.
 *
 * <p>A proxy lists the faults it injects as entries of its {@code faults} block, each naming a
 * strategy {@link #id()}, a {@code rate} and {@code params}:
 * <pre>{@code [{"strategy": "http-error", "rate": 0.1, "params": {"status": 429}}]}</pre>
 * The host checks the params against {@link #params()} (types, ranges, choices, defaults) and then
 * {@link #validate}, so a bad value is refused when the user saves it. When the proxy starts (or
 * its faults change) the host calls {@link #create} once per entry; the returned {@link Fault}
 * then decides for every request the entry's rate and schedule let through.
 *
 * <p>An example a third party can copy: answer 418 to every request for a given model.
 * <pre>{@code
 * @Extension
 * public class TeapotFault implements FaultStrategy {
 *   public String id() { return "teapot"; }
 *   public String description() { return "Answers 418 to requests for one model"; }
 *   public List<FaultParam> params() {
 *     return List.of(FaultParam.string("model", "the model to refuse").asRequired());
 *   }
 *   public Fault create(FaultParams params, FaultContext context) {
 *     String model = params.getString("model");
 *     return request -> model.equals(request.model())
 *         ? FaultDecision.error(new ApiError(418, "invalid_request_error", "teapot",
 *             "I'm a teapot.", "model", Headers.empty()))
 *         : FaultDecision.pass();
 *   }
 * }
 * }</pre>
 * Package it as a PF4J plugin jar (see this package's documentation) and drop it into the
 * plugins folder: a running Faultline picks it up within seconds.
 */
public interface FaultStrategy extends ExtensionPoint {

  /** The id a fault entry's {@code strategy} names, e.g. {@code http-error}; lower case, unique. */
  String id();

  /** One line for people: what this fault does. */
  default String description() {
    return "";
  }

  /** The parameters an entry may set, in the order a form should show them. */
  default List<FaultParam> params() {
    return List.of();
  }

  /**
   * Checks what {@link #params()} cannot express (one parameter against another). Called after
   * the host checked each parameter on its own.
   *
   * @throws FaultParamException naming the parameter at fault
   */
  default void validate(FaultParams params) {
  }

  /**
   * The fault for one entry of one proxy. State the fault keeps (a rate limiter's buckets) lives
   * in the returned object: it serves that proxy's requests until its faults change. Called on an
   * event loop: must not block.
   *
   * @param params  the entry's parameters, checked, with defaults filled in
   * @param context the proxy it serves
   */
  Fault create(FaultParams params, FaultContext context);
}
