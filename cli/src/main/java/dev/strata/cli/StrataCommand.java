package dev.strata.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code strata} command: global help and version, and the subcommands. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = StrataCommand.Version.class,
    description = {
      "Builds bootable container operating systems (bootc image mode) from a hierarchy of"
          + " Containerfiles: upstream base, corporate SOE, role images.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 ok, 1 build or verification failure, 2 usage or input error.",
      "Run 'strata help COMMAND' for a command's options and an example."
    })
public final class StrataCommand implements Runnable {
  /** The subcommands, in the order help lists them ({@code help} comes last). */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ParseCommand.class,
          GraphCommand.class,
          PlanCommand.class,
          BuildCommand.class,
          ImportCommand.class,
          StoreCommand.class,
          CheckUpdatesCommand.class,
          PullCommand.class,
          PushCommand.class,
          BakeCommand.class,
          CatalogCommand.class,
          KeygenCommand.class,
          PolicyCommand.class,
          SignCommand.class,
          VerifyCommand.class,
          DiskCommand.class,
          LintCommand.class,
          KickstartCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The configured command line with every subcommand, Strata's error handling and exit codes. */
  static CommandLine commandLine() {
    return commandLine(List.of());
  }

  /**
   * The command line for running {@code args}: when they start with a subcommand's name only that
   * subcommand is registered. Picocli builds the model of every registered command up front by
   * reflection, about 60 ms for all of them, paid by every run (a no-op build among them); the
   * other names matter only for help and for reporting an unknown command, which get all of them.
   */
  static CommandLine commandLine(List<String> args) {
    CommandLine commandLine = new CommandLine(new StrataCommand());
    String first = args.isEmpty() ? "" : args.get(0);
    // Names are unique: the search stops at the match (each annotation read costs a little).
    List<Class<?>> only =
        SUBCOMMANDS.stream()
            .filter(c -> c.getAnnotation(Command.class).name().equals(first))
            .limit(1)
            .toList();
    for (Class<?> subcommand : only.isEmpty() ? SUBCOMMANDS : only) {
      commandLine.addSubcommand(subcommand);
    }
    commandLine.addSubcommand(new CommandLine.HelpCommand());
    commandLine.setUsageHelpWidth(100);
    commandLine.setExecutionExceptionHandler(new ErrorReporter());
    commandLine.setParameterExceptionHandler(ErrorReporter::usage);
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = StrataCommand.class.getResourceAsStream("/strata-version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"strata " + properties.getProperty("version", "unknown")};
    }
  }

  /** Prints a line to the command's error stream. */
  static void printError(CommandLine commandLine, String text) {
    PrintWriter err = commandLine.getErr();
    err.println(text);
    err.flush();
  }
}
