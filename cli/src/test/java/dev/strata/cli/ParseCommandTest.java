package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata parse} as a user and a script see it: output, errors and exit codes. */
class ParseCommandTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void dumpPrintsBuildKitsTreeAndExitsZero() throws IOException {
    Path file = write("Containerfile", "FROM alpine AS build\nRUN [\"echo\", \"hi\"]\n");
    CliRun run = CliRun.of("parse", "--dump", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("(from \"alpine\" \"AS\" \"build\")\n(run \"echo\" \"hi\")\n");
  }

  @Test
  void invalidFileGivesFileLineColumnCaretAndExitTwo() throws IOException {
    Path file = write("Containerfile", "FROM a\nENV PATH\n");
    CliRun run = CliRun.of("parse", file.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: " + file + ":2:1: ENV must have two arguments\n  ENV PATH\n  ^\n");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void folderStandsForEveryContainerfileBelowIt() throws IOException {
    write("base/Containerfile", "FROM scratch\n");
    write("role/Dockerfile", "FROM base\nRUN true\n");
    CliRun run = CliRun.of("parse", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("base/Containerfile", "role/Dockerfile");
  }

  @Test
  void missingFileIsAnInputErrorNotATrace() {
    CliRun run = CliRun.of("parse", dir.resolve("nope").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: no such file: ");
  }

  @Test
  void warningsGoToStandardError() throws IOException {
    Path file = write("Containerfile", "FROM a\nRUN a \\\n\n b\n");
    CliRun run = CliRun.of("parse", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains(":4:1: warning: Empty continuation line found in: RUN a  b");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("parse", "--frobnicate", "x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unknown option: '--frobnicate'");
  }
}
