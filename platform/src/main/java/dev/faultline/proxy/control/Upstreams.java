package dev.faultline.proxy.control;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials in an upstream URL ({@code https://user:password@host}). New ones are refused: the
 * URL is stored, listed by the admin API and shown on the dashboard as it is. One an older version
 * stored still reaches the provider, but every view of it shows {@code ***} in their place.
 */
final class Upstreams {

  /** Scheme, then the authority's user info: up to the last {@code @} before any path, query or fragment. */
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@");

  private Upstreams() {
  }

  /** Whether {@code url} carries user info, parsed or not. */
  static boolean hasCredentials(String url) {
    return url != null && USER_INFO.matcher(url).find();
  }

  /** {@code url} with any user info replaced by {@code ***}; null stays null. */
  static String masked(String url) {
    if (url == null) {
      return null;
    }
    Matcher matcher = USER_INFO.matcher(url);
    return matcher.find() ? matcher.group(1) + "***@" + url.substring(matcher.end()) : url;
  }
}
