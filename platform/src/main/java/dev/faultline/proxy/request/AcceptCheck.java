package dev.faultline.proxy.request;


/**
 * A step that decides on a request as soon as its head arrives, before its body is read (the IP
 * filter, the caller limit): it returns to admit it, or throws {@link ProxyError} to refuse it,
 * and the refusal is answered and logged like any other.
 */
@FunctionalInterface
public interface AcceptCheck {

  void admit(Exchange exchange);
}
