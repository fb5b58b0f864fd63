package dev.faultline.launcher;

import java.lang.management.ManagementFactory;

/**
 * Stands in for Faultline behind the launcher script in {@link LauncherScriptTest}: a jar of this
 * class alone, run by {@code dist/bin/faultline}, prints the class-sharing, native-trim and compiler options
 * the script gave the JVM and its own arguments, and exits.
 */
public final class LauncherProbe {

  private LauncherProbe() {
  }

  public static void main(String[] args) {
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.contains("SharedArchiveFile") || option.contains("ArchiveClassesAtExit")
          || option.contains("TrimNativeHeapInterval") || option.startsWith("-XX:Tier4")) {
        System.out.println("option " + option);
      }
    }
    System.out.println("probe ran with " + String.join(" ", args));
  }
}
