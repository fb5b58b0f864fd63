package dev.faultline.access;

import io.vertx.ext.web.RoutingContext;

/**
 * Who is asking, as the sign-in gate established it for one admin request: a signed-in person
 * (dashboard cookie, session JWT) or a script holding one of their API tokens. Every route reads
 * it from here; a route reached without one was mounted outside the gate, which is a bug, and
 * fails closed.
 *
 * @param userId   the account's id
 * @param email    the account's email, for the audit trail
 * @param admin    whether the account is an admin (sees and manages everything)
 * @param verified whether the account's email is verified (only then may it create proxies)
 * @param readOnly an API token made read-only: it may look, not change
 * @param tokenId  the API token it came with, {@code null} for a session
 */
public record Caller(String userId, String email, boolean admin, boolean verified, boolean readOnly, String tokenId) {

  private static final String KEY = "faultline.caller";

  /** The caller of {@code ctx}; throws when the request was not signed in. */
  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("no signed-in caller on " + ctx.request().path()
          + ": the route is not behind the sign-in gate");
    }
    return caller;
  }

  /** Whether the caller may see and act on what {@code ownerId} owns: their own, or anything for an admin. */
  public boolean mayAccess(String ownerId) {
    return admin || userId.equals(ownerId);
  }

  /** Signs {@code ctx} in as this caller. */
  public void attach(RoutingContext ctx) {
    ctx.put(KEY, this);
  }
}
