package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata plan} on the example and on a broken lock file. */
class PlanCommandTest {

  @Test
  void plansEveryNodeOfTheExampleInBuildOrder() {
    CliRun run = CliRun.of("plan", Path.of("..", "examples", "soe").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("base: rebuild from step 1 (FROM docker.io/library/debian:bookworm)")
        .contains("new node (no recorded build)")
        .contains("4 of 4 nodes to rebuild");
    assertThat(run.out().indexOf("soe:")).isLessThan(run.out().indexOf("web-server:"));
  }

  @Test
  void jsonHasTheDocumentedShape() {
    CliRun run = CliRun.of("plan", "--json", Path.of("..", "examples", "soe").toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("\"node\" : \"soe\"", "\"status\" : \"rebuild\"", "\"rebuildFrom\" : 1")
        .contains("\"finalKey\" : \"sha256:", "\"rebuild\" : [", "\"notes\" : [");
  }

  @Test
  void aBadLockFileExitsTwo(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/Containerfile"), "FROM debian\n");
    Files.writeString(dir.resolve("strata.lock"), "bases: [x]\n");
    CliRun run = CliRun.of("plan", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("strata.lock:1:").contains("bases must be a map");
  }
}
