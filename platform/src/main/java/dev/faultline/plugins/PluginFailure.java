package dev.faultline.plugins;


/** Why a jar was skipped, in words for {@code GET /api/plugins}. */
final class PluginFailure extends RuntimeException {

  /** Refused only because a loaded plugin has its id: the jar may take over once that one goes. */
  final boolean duplicate;

  PluginFailure(String message) {
    this(false, message);
  }

  private PluginFailure(boolean duplicate, String message) {
    super(message);
    this.duplicate = duplicate;
  }

  static PluginFailure duplicate(String message) {
    return new PluginFailure(true, message);
  }

  /** The whole cause chain on one line: the root cause is often the useful part. */
  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      if (!(t instanceof PluginFailure)) {
        text.append(t.getClass().getSimpleName()).append(": ");
      }
      text.append(t.getMessage());
    }
    return text.toString();
  }
}
