package dev.faultline.launcher.cli;

import dev.faultline.store.StoreCopy;
import dev.faultline.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code faultline migrate --from FILE --to URL}: copies a SQLite installation into an empty
 * PostgreSQL database, offline (no server started). The password comes from a variable, never
 * from the command line (where {@code ps} would show it), and is never printed.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = "Copy a SQLite installation (stop its Faultline first) into an empty PostgreSQL database, "
        + "in one transaction: all or nothing.")
final class MigrateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FILE",
      description = "The SQLite file: faultline.db in the data folder.")
  Path from;

  @Option(names = "--to", paramLabel = "URL",
      description = "The PostgreSQL database, jdbc:postgresql://host:5432/db or postgresql://user@host/db "
          + "(default: FAULTLINE_STORE_URL).")
  String to;

  @Option(names = "--user", paramLabel = "USER", description = "Its user (default: FAULTLINE_STORE_USER).")
  String user;

  @Option(names = "--password-env", paramLabel = "VARIABLE", defaultValue = "FAULTLINE_STORE_PASSWORD",
      description = "The variable that holds its password (default: ${DEFAULT-VALUE}).")
  String passwordEnv;

  @Override
  public Integer call() {
    Map<String, String> env = ((Cli) spec.root().userObject()).env;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String url = to != null ? to : env.get("FAULTLINE_STORE_URL");
    if (url == null || url.isBlank()) {
      return fail(err, 2, "--to (FAULTLINE_STORE_URL): give the PostgreSQL database to copy into");
    }
    StoreLocation target;
    try {
      target = StoreLocation.postgresql(url, user != null ? user : env.get("FAULTLINE_STORE_USER"),
          env.get(passwordEnv));
    } catch (IllegalArgumentException e) {
      return fail(err, 2, "--to (FAULTLINE_STORE_URL): invalid value: " + e.getMessage());
    }
    out.printf("Copying %s into %s%n", from.toAbsolutePath(), target);
    out.flush();
    StoreCopy.Copied copied;
    try {
      copied = StoreCopy.copy(from, target);
    } catch (StoreCopy.CopyException e) {
      return fail(err, 1, e.getMessage());
    }
    copied.rows().forEach((table, rows) -> out.printf("  %-20s %d rows%n", table, rows));
    out.printf("Copied %d rows in %d tables (one transaction). Start Faultline with store.url "
        + "(FAULTLINE_STORE_URL) set to this database.%n", copied.total(), copied.rows().size());
    return 0;
  }

  private static int fail(PrintWriter err, int code, String message) {
    err.println("faultline: " + message);
    err.flush();
    return code;
  }
}
