package dev.faultline.ipfilter;

import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A proxy's {@code ip} block, {@code {"allow":[…],"block":[…]}}: who may call it. A caller on the
 * block list is refused; otherwise, an empty allow list lets everyone in, and a non-empty one only
 * the callers on it.
 */
public record IpAccess(List<IpRule> allow, List<IpRule> block) {

  public static final String NAME = "ip";
  private static final Set<String> FIELDS = Set.of("allow", "block");

  public IpAccess {
    allow = List.copyOf(allow);
    block = List.copyOf(block);
  }

  public boolean isEmpty() {
    return allow.isEmpty() && block.isEmpty();
  }

  /** Whether a caller at {@code address} (null: unknown) may call; block wins over allow. */
  public boolean allows(byte[] address) {
    if (block.stream().anyMatch(rule -> rule.matches(address))) {
      return false;
    }
    return allow.isEmpty() || allow.stream().anyMatch(rule -> rule.matches(address));
  }

  JsonObject toJson() {
    return new JsonObject().put("allow", texts(allow)).put("block", texts(block));
  }

  /** The stored block (already checked) back to rules. */
  static IpAccess from(Object stored) {
    return parse(stored instanceof JsonObject json ? json : new JsonObject());
  }

  /** @throws ProxyException naming the field or rule at fault, e.g. {@code ip.allow[1]} */
  static IpAccess parse(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw ProxyException.invalid(NAME, "must be an object {\"allow\":[…],\"block\":[…]} of addresses, CIDR blocks "
          + "or IPv4 wildcards");
    }
    for (String key : json.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw ProxyException.invalid(NAME + "." + key, "unknown field; the ip block has allow and block");
      }
    }
    return new IpAccess(rules(json.getValue("allow"), NAME + ".allow"), rules(json.getValue("block"), NAME + ".block"));
  }

  private static List<IpRule> rules(Object value, String field) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw ProxyException.invalid(field, "must be an array of addresses, CIDR blocks or IPv4 wildcards");
    }
    List<IpRule> rules = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object rule = array.getValue(i);
      if (!(rule instanceof String text)) {
        throw ProxyException.invalid(field + "[" + i + "]", "must be a string such as \"10.0.0.0/8\", got "
            + Echo.quote(rule));
      }
      try {
        rules.add(IpRule.parse(text));
      } catch (IllegalArgumentException e) {
        throw ProxyException.invalid(field + "[" + i + "]", e.getMessage());
      }
    }
    return rules;
  }

  private static JsonArray texts(List<IpRule> rules) {
    JsonArray texts = new JsonArray();
    rules.forEach(rule -> texts.add(rule.toString()));
    return texts;
  }

  /** The {@code ip} block of a proxy. */
  public static final class Block implements ProxyBlock {

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Object defaultValue() {
      return new JsonObject().put("allow", new JsonArray()).put("block", new JsonArray());
    }

    @Override
    public Object validate(Object value) {
      return value == null ? defaultValue() : parse(value).toJson();
    }
  }
}
