package dev.faultline.proxy.request;


/** Fails an exchange so that the caller's connection is dropped without any response byte. */
public final class ConnectionReset extends RuntimeException {

  public ConnectionReset(String why) {
    super(why, null, false, false);
  }
}
