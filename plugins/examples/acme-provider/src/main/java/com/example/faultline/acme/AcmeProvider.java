package com.example.faultline.acme;

import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderOptionException;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import java.util.List;
import org.pf4j.Extension;

/**
 * A provider for Acme's (made-up) echo API, answered offline: {@code POST /v1/generate} with
 * {@code {"model","prompt","stream"}} answers {@code {"id","model","text","usage"}}, or streams
 * {@code event: token} events ending with {@code event: done}. Its {@link AcmeDialect} is what
 * makes every Faultline fault look like an Acme failure.
 *
 * <p>A real provider would forward to {@link ProviderContext#upstream()} with a Vert.x HTTP client
 * (see the {@code openai} provider); this one answers by itself so the template runs anywhere.
 */
@Extension
public class AcmeProvider implements Provider {

  static final String PREFIX = "prefix";

  @Override
  public String id() {
    return "acme";
  }

  @Override
  public String description() {
    return "Acme's echo API, answered offline (an example plugin)";
  }

  /** Described options: the dashboard renders a form, the host refuses a wrong type before open. */
  @Override
  public List<FaultParam> options() {
    return List.of(FaultParam.string(PREFIX, "text put before the echoed prompt").withDefault("echo: "));
  }

  @Override
  public ProviderSession open(ProviderContext context) {
    Object prefix = context.options().getValue(PREFIX, "echo: ");
    if (!(prefix instanceof String text) || text.length() > 100) {
      throw ProviderOptionException.option(PREFIX, "must be a string of at most 100 characters, got " + prefix);
    }
    return new AcmeSession(text);
  }

  /** Every request to this provider speaks Acme; a provider serving several APIs picks by path. */
  @Override
  public Dialect dialect(ProxyRequest request) {
    return AcmeDialect.INSTANCE;
  }
}
