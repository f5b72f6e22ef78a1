package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.dsl.instructions.CommandLine;
import dev.strata.dsl.instructions.InlineFile;
import dev.strata.dsl.instructions.NetworkMode;
import dev.strata.dsl.instructions.Run;
import dev.strata.dsl.instructions.SecurityMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a RUN instruction and the stage's SHELL become a process, as BuildKit builds it. */
class RunCommandTest {
  static final List<String> SH = List.of("/bin/sh", "-c");

  static Run run(CommandLine command, List<InlineFile> heredocs) {
    return new Run(
        null,
        command,
        heredocs,
        List.of(),
        List.of(),
        NetworkMode.DEFAULT,
        SecurityMode.SANDBOX,
        List.of(),
        List.of());
  }

  @Test
  void shellFormIsPrefixedWithTheShell() {
    RunCommand c = RunCommand.of(run(new CommandLine(List.of("echo $HOME"), true), List.of()), SH);
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "echo $HOME");
    assertThat(c.pipes()).isEmpty();
  }

  @Test
  void customShellReplacesTheDefault() {
    RunCommand c =
        RunCommand.of(
            run(new CommandLine(List.of("echo hi"), true), List.of()),
            List.of("/bin/ash", "-eo", "pipefail", "-c"));
    assertThat(c.argv()).containsExactly("/bin/ash", "-eo", "pipefail", "-c", "echo hi");
  }

  @Test
  void execFormRunsAsWritten() {
    RunCommand c =
        RunCommand.of(run(new CommandLine(List.of("/bin/echo", "a b"), false), List.of()), SH);
    assertThat(c.argv()).containsExactly("/bin/echo", "a b");
  }

  @Test
  void heredocWithoutShebangIsTheShellScript() {
    RunCommand c =
        RunCommand.of(
            run(
                new CommandLine(List.of("<<EOF"), true),
                List.of(new InlineFile("EOF", "echo one\necho two\n", false))),
            SH);
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "echo one\necho two\n");
  }

  @Test
  void heredocWithShebangIsAFileUnderDevPipes() {
    RunCommand c =
        RunCommand.of(
            run(
                new CommandLine(List.of("<<EOT"), true),
                List.of(new InlineFile("EOT", "#!/bin/cat\nbody\n", false))),
            SH);
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "/dev/pipes/EOT");
    assertThat(c.pipes()).isEqualTo(Map.of("EOT", "#!/bin/cat\nbody\n"));
  }

  @Test
  void chompedHeredocLosesLeadingTabs() {
    RunCommand c =
        RunCommand.of(
            run(
                new CommandLine(List.of("<<-EOF"), true),
                List.of(new InlineFile("EOF", "\techo a\n\t\techo b\n", true))),
            SH);
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "echo a\necho b\n");
  }

  @Test
  void heredocFeedingACommandIsPutBackForTheShell() {
    RunCommand c =
        RunCommand.of(
            run(
                new CommandLine(List.of("cat > /f <<EOF"), true),
                List.of(new InlineFile("EOF", "line\n", false))),
            SH);
    assertThat(c.argv()).containsExactly("/bin/sh", "-c", "cat > /f <<EOF\nline\nEOF");
  }
}
