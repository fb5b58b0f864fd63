package dev.faultline.proxy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A proxy as the user configured it.
 *
 * @param owner    the id of the account it belongs to; {@code null} only until accounts first start
 * @param upstream base URL the provider forwards to; {@code null} means the provider's default
 * @param running  whether the user wants it running (restored at boot when true)
 * @param options  the provider's own settings, passed to it untouched
 * @param requireApiKey whether callers must send an API key (refused with OpenAI's 401 when not)
 * @param blocks   each feature's settings block by name ({@code cache}, {@code faults}, …), see
 *                 {@link ProxyBlock}
 */
public record ProxyDefinition(
    String id,
    String owner,
    String name,
    String provider,
    String upstream,
    int port,
    boolean running,
    JsonObject options,
    boolean requireApiKey,
    JsonObject blocks,
    Instant createdAt,
    Instant updatedAt) {

  public ProxyDefinition withRunning(boolean value) {
    return new ProxyDefinition(id, owner, name, provider, upstream, port, value, options, requireApiKey, blocks, createdAt, Instant.now());
  }

  /** The value of one feature's block, e.g. {@code block("cache")}; {@code null} when absent. */
  public Object block(String name) {
    return blocks.getValue(name);
  }

  public ProxyDefinition withBlock(String name, Object value) {
    JsonObject changed = blocks.copy().put(name, value);
    return new ProxyDefinition(id, owner, name(), provider, upstream, port, running, options, requireApiKey, changed, createdAt,
        Instant.now());
  }

  public ProxyDefinition withPort(int value) {
    return new ProxyDefinition(id, owner, name, provider, upstream, value, running, options, requireApiKey, blocks, createdAt, Instant.now());
  }
}
