package dev.strata.cli;

import dev.strata.catalog.CatalogException;
import dev.strata.dsl.ContainerfileException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns failures into what a user reads: the error with its place and what to do, never a stack
 * trace (set {@code STRATA_DEBUG=1} to get one), and the documented exit codes.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  static final int FAILURE = 1;
  static final int USAGE = 2;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (System.getenv("STRATA_DEBUG") != null) {
      e.printStackTrace(commandLine.getErr());
    }
    if (e instanceof ContainerfileException invalid) {
      StrataCommand.printError(commandLine, "error: " + invalid.render());
      return USAGE;
    }
    if (e instanceof CatalogException catalog) {
      StrataCommand.printError(commandLine, "error: " + catalog.getMessage());
      return catalog.isInputError() ? USAGE : FAILURE;
    }
    if (e instanceof NoSuchFileException missing) {
      StrataCommand.printError(
          commandLine, "error: no such file: " + missing.getFile() + " (check the path)");
      return USAGE;
    }
    if (e instanceof IOException io) {
      StrataCommand.printError(commandLine, "error: " + io.getMessage());
      return FAILURE;
    }
    StrataCommand.printError(
        commandLine,
        "error: internal error: "
            + e
            + " (this is a bug in strata; rerun with STRATA_DEBUG=1 and report the trace)");
    return FAILURE;
  }

  /** Bad options or arguments: the message and the command's usage, exit code 2. */
  static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    StrataCommand.printError(commandLine, "error: " + e.getMessage());
    commandLine.usage(commandLine.getErr());
    return USAGE;
  }
}
