package dev.faultline.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.request.ProxyError;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code X-Faultline-Fault} request header, which forces faults on one request (for test
 * suites):
 * <pre>
 * X-Faultline-Fault: none
 * X-Faultline-Fault: strategy[;param=value]*[, strategy[;param=value]*]*
 * X-Faultline-Fault: http-error;status=429;retry_after=2
 * X-Faultline-Fault: latency;ms=300, stream-cut;after_events=2
 * </pre>
 * The faults it names replace the proxy's own for that request, each applied for sure (rate 1);
 * {@code none} means no fault. An {@code upstream-timeout} it names replaces the proxy's timeout.
 * Values are read as the parameter's type; strings cannot hold {@code ,} or {@code ;}.
 */
final class FaultOverride {

  static final String HEADER = "X-Faultline-Fault";

  private FaultOverride() {
  }

  /** @throws ProxyError a 400 naming what is wrong */
  static List<FaultEntry> parse(String header, FaultCatalog catalog, Instant now) {
    String value = header.trim();
    if (value.equalsIgnoreCase("none")) {
      return List.of();
    }
    List<FaultEntry> entries = new ArrayList<>();
    for (String fault : value.split(",")) {
      String[] parts = fault.trim().split(";");
      String id = parts[0].trim();
      FaultStrategy strategy = catalog.find(id).orElseThrow(() -> invalid("unknown fault strategy '" + id
          + "'; known: " + catalog.known()));
      JsonObject params = new JsonObject();
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i].trim();
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw invalid("'" + part + "' in '" + id + "' is not name=value");
        }
        String name = part.substring(0, eq).trim();
        params.put(name, typed(strategy, name, part.substring(eq + 1).trim()));
      }
      JsonObject entry = new JsonObject().put("strategy", id).put("params", params);
      try {
        entries.add(FaultEntries.entry(entry, id, catalog, now));
      } catch (ProxyException e) {
        throw invalid(e.getMessage());
      }
    }
    return entries;
  }

  /** The text as the parameter's type; left as text when it does not parse (the check then says why). */
  private static Object typed(FaultStrategy strategy, String name, String text) {
    FaultParam.Type type = strategy.params().stream().filter(p -> p.name().equals(name)).findFirst()
        .map(FaultParam::type).orElse(FaultParam.Type.STRING);
    try {
      return switch (type) {
        case INTEGER -> Long.parseLong(text);
        case NUMBER -> Double.parseDouble(text);
        case BOOLEAN -> text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : text;
        case STRING -> text;
      };
    } catch (NumberFormatException e) {
      return text;
    }
  }

  private static ProxyError invalid(String why) {
    return new ProxyError(ApiError.invalidRequest(HEADER + ": " + why + ". Grammar: strategy[;param=value]* "
        + "separated by commas, or none.", "invalid_fault_override", null));
  }
}
