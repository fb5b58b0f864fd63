package dev.faultline.access;

import java.util.regex.Pattern;

/**
 * The per-owner twin of an event-bus address: {@code faultline.log.user.<ownerId>} carries only
 * what the proxies of {@code ownerId} publish on {@code faultline.log}. A subscriber who is not an
 * admin may listen on their own twins only.
 */
public final class OwnerAddress {

  private static final String USER = ".user.";

  private OwnerAddress() {
  }

  /** {@code base}'s address for what {@code ownerId} owns. */
  public static String of(String base, String ownerId) {
    return base + USER + ownerId;
  }

  /** A regular expression matching {@code base}'s address of any owner (an id holds no dot). */
  public static String anyOwner(String base) {
    return Pattern.quote(base + USER) + "[^.]+";
  }
}
