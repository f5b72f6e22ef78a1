package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata build} run twice with nothing changed answers the second time from its stamp. */
class BuildUpToDateTest {
  @TempDir Path dir;

  @Test
  void theSecondBuildIsAnsweredFromTheStampAndAnEditBuildsAgain() throws Exception {
    Path project = Files.createDirectories(dir.resolve("proj/app"));
    Files.writeString(
        dir.resolve("proj/strata.yaml"),
        "images:\n  app: { containerfile: app/Containerfile, image: corp/app }\n");
    Files.writeString(project.resolve("Containerfile"), "FROM scratch\nCOPY motd /etc/motd\n");
    Files.writeString(project.resolve("motd"), "hello\n");
    Thread.sleep(BuildStamp.SETTLED_MILLIS + 200); // older than the build, as a checkout is
    Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
    String[] build = {
      "build", "--store", dir.resolve("store").toString(), "--progress", "plain", "proj"
    };

    CliProcess first = CliProcess.run(dir, env, build);
    CliProcess second = CliProcess.run(dir, env, build);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("[app] built corp/app:latest");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out())
        .contains("[app] reused corp/app:latest " + digest(first.out()) + " (0 steps run, 1 cached")
        .contains("up to date: the inputs and the store are as the last build left them")
        .contains("built 0, reused 1, failed 0")
        .doesNotContain("COPY motd"); // no step was looked at

    Files.writeString(project.resolve("motd"), "hello again\n");
    CliProcess third = CliProcess.run(dir, env, build);
    assertThat(third.exitCode()).as(third.err()).isZero();
    assertThat(third.out()).contains("[app] built corp/app:latest").doesNotContain("up to date");
    // edited a moment before that build: its stat is not trusted, so the next build checks again
    CliProcess fourth = CliProcess.run(dir, env, build);
    assertThat(fourth.out()).contains("COPY motd /etc/motd  (cached)").doesNotContain("up to date");
  }

  @Test
  void aBuildWithJsonOutputIsNeverAnsweredFromAStamp() throws Exception {
    settledProject();
    Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
    String[] build = {"build", "--store", dir.resolve("store").toString(), "--json", "proj"};

    CliProcess.run(dir, env, build);
    CliProcess second = CliProcess.run(dir, env, build);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("\"reused\" : 1").doesNotContain("up to date");
  }

  @Test
  void aStampThatCannotBeWrittenNeverFailsTheBuild() throws Exception {
    settledProject();
    Path notAFolder = Files.writeString(dir.resolve("cache"), "a file where the cache would be\n");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", notAFolder.toString());
    String[] build = {"build", "--store", dir.resolve("store").toString(), "proj"};

    CliProcess first = CliProcess.run(dir, env, build);
    CliProcess second = CliProcess.run(dir, env, build);

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("built 0, reused 1").doesNotContain("up to date");
  }

  /**
   * A one-file project in proj/ (a Containerfile, no strata.yaml), older than a build that starts
   * now, as a checkout is.
   */
  private void settledProject() throws Exception {
    Path project = Files.createDirectories(dir.resolve("proj"));
    Files.writeString(project.resolve("Containerfile"), "FROM scratch\nCOPY motd /etc/motd\n");
    Files.writeString(project.resolve("motd"), "hello\n");
    Thread.sleep(BuildStamp.SETTLED_MILLIS + 200);
  }

  private static String digest(String out) {
    var m = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}").matcher(out);
    assertThat(m.find()).isTrue();
    return m.group();
  }
}
