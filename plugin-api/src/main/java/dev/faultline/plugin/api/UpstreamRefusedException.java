package dev.faultline.plugin.api;

/**
 * The host refused the address an upstream resolves to ({@link UpstreamGuard}). A provider
 * passes it on as its forward's failure; the host answers the caller with {@link #error()} in
 * the provider's shape. The message names the kind of address refused (never a key).
 */
public final class UpstreamRefusedException extends RuntimeException {

  public UpstreamRefusedException(String message) {
    // No stack trace: a refusal is an answer, not a bug.
    super(message, null, false, false);
  }

  /**
   * A 403 {@code upstream_refused}: retrying cannot help (SDKs retry 5xx answers), the proxy's
   * upstream has to change.
   */
  public ApiError error() {
    return new ApiError(403, "invalid_request_error", "upstream_refused", getMessage(), null, Headers.empty());
  }
}
