package dev.faultline.launcher.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls a running Faultline's admin API: its address and token options, and where to print. */
abstract class ClientCommand implements Runnable {

  @Mixin
  ClientOptions connection;

  @Spec
  CommandSpec spec;

  AdminClient client() {
    return connection.client((Cli) spec.root().userObject());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  String proxyId(AdminClient client, String idOrName) {
    return ClientOptions.proxyId(client, idOrName);
  }
}
