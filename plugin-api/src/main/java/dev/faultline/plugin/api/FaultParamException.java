package dev.faultline.plugin.api;

/** A fault parameter has a value the strategy cannot use; the host answers 400 naming it. */
public final class FaultParamException extends IllegalArgumentException {

  private final String param;

  /**
   * @param param   the parameter's name, e.g. {@code status}
   * @param message what is wrong and what would be right, e.g. {@code must be from 400 to 599}
   */
  public FaultParamException(String param, String message) {
    super(message);
    this.param = param;
  }

  public String param() {
    return param;
  }
}
