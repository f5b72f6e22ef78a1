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

  @Test
  void sinceListsWhatAGitChangeAffectsAndWhy(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("base"));
    Files.createDirectories(dir.resolve("web"));
    Files.writeString(
        dir.resolve("strata.yaml"),
        "images:\n"
            + "  base: { containerfile: base/Containerfile, aliases: [corp/base] }\n"
            + "  web: { containerfile: web/Containerfile }\n");
    Files.writeString(dir.resolve("base/Containerfile"), "FROM debian\n");
    Files.writeString(dir.resolve("web/Containerfile"), "FROM corp/base\nCOPY site.conf /etc/\n");
    Files.writeString(dir.resolve("web/site.conf"), "a\n");
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    Files.writeString(dir.resolve("web/site.conf"), "b\n");

    CliRun run = CliRun.of("plan", dir.toString(), "--since", "HEAD");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("web")
        .contains("changed file under step 2 (COPY site.conf /etc/): site.conf")
        .doesNotContain("base:");
  }

  private static void git(Path dir, String... args) throws Exception {
    var command = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).isZero();
  }
}
