package dev.faultline.proxy.control;

import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.upstream.UpstreamPolicy;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks the JSON a user sends to create or change a proxy, field by field, and turns it into a
 * {@link ProxyDefinition}. Every refusal names the field. Feature blocks are checked by their
 * own {@link ProxyBlock}.
 */
final class ProxyInput {

  private static final Set<String> WRITABLE = Set.of("name", "provider", "upstream", "port", "status", "options",
      "require_api_key");
  /** Fields a client may echo back from a GET; they are ignored, not refused. */
  private static final Set<String> READ_ONLY = Set.of("id", "owner", "created_at", "updated_at", "error", "url");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProxyBlocks blocks;

  ProxyInput(ProxyBlocks blocks) {
    this.blocks = blocks;
  }

  /** A new proxy of {@code owner} from a create request; {@code port} 0 means "assign one". */
  ProxyDefinition create(JsonObject body, String owner) {
    checkFields(body);
    if (!body.containsKey("name")) {
      throw ProxyException.invalid("name", "required");
    }
    if (!body.containsKey("provider")) {
      throw ProxyException.invalid("provider", "required (the id of a provider plugin, e.g. mock or openai)");
    }
    Instant now = Instant.now();
    ProxyDefinition blank = new ProxyDefinition(newId(), owner, null, null, null, 0, true, new JsonObject(), true,
        blocks.defaults(body.fieldNames()), now, now);
    return apply(blank, body);
  }

  /** {@code current} with the fields {@code patch} names changed, and only those. */
  ProxyDefinition patch(ProxyDefinition current, JsonObject patch) {
    checkFields(patch);
    return apply(current, patch);
  }

  private ProxyDefinition apply(ProxyDefinition base, JsonObject body) {
    String name = body.containsKey("name") ? name(body.getValue("name")) : base.name();
    String provider = body.containsKey("provider") ? provider(body.getValue("provider")) : base.provider();
    String upstream = body.containsKey("upstream") ? upstream(body.getValue("upstream")) : base.upstream();
    int port = body.containsKey("port") ? port(body.getValue("port")) : base.port();
    boolean running = body.containsKey("status") ? status(body.getValue("status")) : base.running();
    JsonObject options = body.containsKey("options") ? options(body.getValue("options")) : base.options();
    boolean requireKey = body.containsKey("require_api_key")
        ? bool("require_api_key", body.getValue("require_api_key")) : base.requireApiKey();
    JsonObject values = base.blocks().copy();
    for (ProxyBlock block : blocks.all()) {
      if (body.containsKey(block.name())) {
        values.put(block.name(), block.validate(body.getValue(block.name())));
      }
    }
    return new ProxyDefinition(base.id(), base.owner(), name, provider, upstream, port, running, options, requireKey, values,
        base.createdAt(), Instant.now());
  }

  private void checkFields(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!WRITABLE.contains(field) && !READ_ONLY.contains(field) && blocks.find(field).isEmpty()) {
        Set<String> known = new TreeSet<>(WRITABLE);
        blocks.all().forEach(b -> known.add(b.name()));
        throw ProxyException.invalid(field, "unknown field; a proxy has " + String.join(", ", known));
      }
    }
  }

  private static String name(Object value) {
    if (!(value instanceof String s) || !NAME.matcher(s).matches()) {
      throw ProxyException.invalid("name", "1 to 64 letters, digits, spaces, '.', '_' or '-', starting with a letter or "
          + "digit; got " + quote(value));
    }
    return s;
  }

  private static String provider(Object value) {
    if (!(value instanceof String s) || s.isBlank()) {
      throw ProxyException.invalid("provider", "must be a provider id string, got " + quote(value));
    }
    return s;
  }

  private static String upstream(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw ProxyException.invalid("upstream", "must be an http(s) base URL string, got " + quote(value));
    }
    if (Upstreams.hasCredentials(s)) {
      throw ProxyException.invalid("upstream", "must not carry credentials (user:password@): Faultline would store "
          + "and show them. Leave them out; callers send their API key in request headers (Authorization, api-key), "
          + "which the proxy forwards. Got " + quote(Upstreams.masked(s)));
    }
    try {
      URI uri = new URI(s);
      Optional<String> refused = UpstreamPolicy.alwaysRefused(uri);
      if (refused.isPresent()) {
        throw ProxyException.invalid("upstream", refused.get() + "; got " + quote(s));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null) {
        return s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw ProxyException.invalid("upstream", "must be an absolute http:// or https:// base URL without a query, got "
        + quote(value));
  }

  private static int port(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1 && n.intValue() <= 65535) {
      return n.intValue();
    }
    throw ProxyException.invalid("port", "must be an integer from 1 to 65535 (or null to have one assigned), got "
        + quote(value));
  }

  private static boolean status(Object value) {
    if ("running".equals(value)) {
      return true;
    }
    if ("stopped".equals(value)) {
      return false;
    }
    throw ProxyException.invalid("status", "must be \"running\" or \"stopped\", got " + quote(value));
  }

  private static JsonObject options(Object value) {
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object.copy();
    }
    throw ProxyException.invalid("options", "must be a JSON object, got " + quote(value));
  }

  private static boolean bool(String field, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw ProxyException.invalid(field, "must be true or false, got " + quote(value));
  }

  private static String quote(Object value) {
    return Echo.quote(value);
  }

  private static String newId() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return "prx_" + HexFormat.of().formatHex(bytes);
  }
}
