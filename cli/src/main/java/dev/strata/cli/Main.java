package dev.strata.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code strata} command line: runs a command and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // A build whose inputs and store stat as its last successful run left them has nothing to do:
    // answered before anything else loads (see BuildStamp).
    if (args.length > 0 && args[0].equals("build") && upToDate(args)) {
      System.exit(0);
    }
    // Loading JNA and libcrypto, the YAML reader, the Containerfile parser, the graph library and
    // the SQLite driver takes tens of ms: LibraryWarmup does it beside the command line parsing.
    LibraryWarmup.start(args);
    System.exit(run(args));
  }

  /** Whether {@code strata ARGS}, a build, was answered from its stamp (printed already). */
  static boolean upToDate(String... args) {
    return BuildStamp.of(java.util.List.of(args), java.nio.file.Path.of(""), System.getenv())
        .map(stamp -> stamp.answer(System.out))
        .orElse(false);
  }

  /** Runs {@code strata ARGS} and returns the exit code (0 ok, 1 failure, 2 usage or input). */
  public static int run(String... args) {
    return StrataCommand.commandLine(java.util.List.of(args)).execute(args);
  }

  /** Runs {@code strata ARGS} with its output and errors written to the given writers. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = StrataCommand.commandLine(java.util.List.of(args));
    commandLine.setOut(out);
    commandLine.setErr(err);
    return commandLine.execute(args);
  }
}
