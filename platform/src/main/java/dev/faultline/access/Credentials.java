package dev.faultline.access;

import io.vertx.core.Future;

/**
 * Who a bearer credential (an API token {@code flt_…} or a session token) signs in as, for what
 * sits outside the admin routes' sign-in gate: the TCP bridge, whose frames carry the token. The
 * accounts feature provides it; the shared parts that need it know only this.
 */
@FunctionalInterface
public interface Credentials {

  /** The caller {@code bearer} signs in as; fails for an unknown, expired, revoked or disabled one. */
  Future<Caller> resolve(String bearer);
}
