package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;

/**
 * Refuses a request that carries no API key, with OpenAI's own 401, so a misconfigured client
 * fails here as it would against the provider. Faultline never reads the key's value beyond
 * this presence check: it is forwarded as is, and never logged or stored.
 */
final class ApiKeyCheck {

  private ApiKeyCheck() {
  }

  static ProxyRequest check(ProxyRequest request) {
    if (hasKey(request.headers())) {
      return request;
    }
    throw new ProxyError(new ApiError(401, "invalid_request_error", null,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
            + "auth (i.e. Authorization: Bearer YOUR_KEY). This proxy (require_api_key: true) checks only that "
            + "one is present; the provider checks its value.",
        null, Headers.empty()));
  }

  private static boolean hasKey(Headers headers) {
    String authorization = headers.get("authorization").orElse("").trim();
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && authorization.length() > 7) {
      return true;
    }
    // Azure OpenAI's header, and Anthropic's.
    return !headers.get("api-key").orElse("").isBlank() || !headers.get("x-api-key").orElse("").isBlank();
  }
}
