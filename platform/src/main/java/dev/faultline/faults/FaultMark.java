package dev.faultline.faults;

import dev.faultline.proxy.request.Exchange;

/** Records on an exchange that a fault touched it: for its log entry and in the response header. */
final class FaultMark {

  private FaultMark() {
  }

  static void touched(Exchange exchange, String strategy) {
    String before = exchange.fault();
    String faults = before == null ? strategy : before + "," + strategy;
    exchange.fault(faults);
    exchange.responseHeader(FaultOverride.HEADER, faults);
  }
}
