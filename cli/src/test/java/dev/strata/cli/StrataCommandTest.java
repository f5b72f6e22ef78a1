package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The top-level command: version, help, and help for each command with an example. */
class StrataCommandTest {

  @Test
  void versionNamesTheProjectVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).matches("strata \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\n");
  }

  @Test
  void helpListsTheCommands() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("parse", "help", "Exit codes");
  }

  @Test
  void helpForACommandShowsAnExample() {
    CliRun run = CliRun.of("help", "parse");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Examples:", "strata parse --dump");
  }

  @Test
  void everyCommandHasAnExample() {
    var spec = StrataCommand.commandLine().getSubcommands();
    spec.forEach(
        (name, command) -> {
          if (!name.equals("help")) {
            assertThat(String.join("\n", command.getCommandSpec().usageMessage().footer()))
                .as("example in the help of %s", name)
                .contains("strata " + name);
          }
        });
  }

  @Test
  void runningACommandRegistersOnlyThatCommandAndHelp() {
    assertThat(
            StrataCommand.commandLine(java.util.List.of("build", "examples/soe")).getSubcommands())
        .containsOnlyKeys("build", "help");
  }

  @Test
  void anUnknownCommandIsReportedAgainstAllCommands() {
    CliRun run = CliRun.of("biuld");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("biuld");
    assertThat(StrataCommand.commandLine(java.util.List.of("biuld")).getSubcommands())
        .hasSize(StrataCommand.SUBCOMMANDS.size() + 1);
  }
}
