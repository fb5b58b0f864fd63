package dev.faultline.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The X-Faultline-Fault grammar ({@code strategy[;param=value]*}, comma-separated, or {@code none})
 * as the fault entries the API takes, each value typed as the strategy describes its parameter
 * (so {@code status=429} is the integer 429); the API then checks them as any other entries.
 */
final class FaultSpec {

  private FaultSpec() {
  }

  /** @param strategies {@code GET /api/faults/strategies}: ids and their described parameters */
  static JsonArray entries(String spec, JsonArray strategies) {
    JsonArray entries = new JsonArray();
    String value = spec.trim();
    if (value.equalsIgnoreCase("none")) {
      return entries;
    }
    Map<String, JsonObject> known = new HashMap<>();
    strategies.forEach(s -> known.put(((JsonObject) s).getString("id"), (JsonObject) s));
    for (String fault : value.split(",")) {
      String[] parts = fault.trim().split(";");
      String id = parts[0].trim();
      JsonObject strategy = known.get(id);
      if (strategy == null) {
        throw new AdminClient.ApiException("unknown fault strategy '" + id + "'; known: "
            + String.join(", ", known.keySet().stream().sorted().toList()));
      }
      JsonObject params = new JsonObject();
      for (int i = 1; i < parts.length; i++) {
        String part = parts[i].trim();
        int eq = part.indexOf('=');
        if (eq <= 0) {
          throw new AdminClient.ApiException("'" + part + "' in '" + id + "' is not name=value. Grammar: "
              + "strategy[;param=value]* separated by commas, or none");
        }
        String name = part.substring(0, eq).trim();
        params.put(name, typed(strategy, name, part.substring(eq + 1).trim()));
      }
      entries.add(new JsonObject().put("strategy", id).put("params", params));
    }
    return entries;
  }

  /** The text as its parameter's type; left as text when it does not parse (the API then says why). */
  private static Object typed(JsonObject strategy, String name, String text) {
    String type = strategy.getJsonArray("params", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .filter(p -> name.equals(p.getString("name")))
        .map(p -> p.getString("type"))
        .findFirst().orElse("string");
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(text);
        case "number" -> Double.parseDouble(text);
        case "boolean" -> text.equals("true") || text.equals("false") ? Boolean.valueOf(text) : text;
        default -> text;
      };
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
