package dev.strata.cli;

import picocli.CommandLine;

/** Entry point of the {@code strata} command line: runs a command and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs {@code strata ARGS} and returns the exit code (0 ok, 1 failure, 2 usage or input). */
  public static int run(String... args) {
    CommandLine commandLine = StrataCommand.commandLine();
    return commandLine.execute(args);
  }
}
