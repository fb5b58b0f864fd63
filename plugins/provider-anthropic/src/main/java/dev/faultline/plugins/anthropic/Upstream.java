package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.ProviderOptionException;
import java.net.URI;
import java.net.URISyntaxException;

/** Where a proxy's requests go: scheme, host, port and an optional path prefix. */
record Upstream(boolean ssl, String host, int port, String basePath) {

  static Upstream parse(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? AnthropicProvider.DEFAULT_UPSTREAM : url);
    } catch (URISyntaxException e) {
      throw ProviderOptionException.upstream("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw ProviderOptionException.upstream("must be an absolute http(s) URL, got " + url);
    }
    boolean ssl = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new Upstream(ssl, uri.getHost(), port, path);
  }

  /**
   * The upstream URI for a caller's {@code uri}. SDKs are configured with a base URL that
   * already ends in {@code /v1} and send {@code /v1/...} paths, so the prefix is not doubled.
   */
  String resolve(String callerUri) {
    if (basePath.endsWith("/v1") && (callerUri.startsWith("/v1/") || callerUri.equals("/v1"))) {
      return basePath + callerUri.substring(3);
    }
    return basePath + callerUri;
  }
}
