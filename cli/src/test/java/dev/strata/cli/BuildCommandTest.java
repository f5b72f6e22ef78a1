package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata import}, {@code strata build}, {@code strata plan} against the store and {@code
 * strata store gc}, end to end on a two-node project whose child builds FROM the parent's image.
 */
class BuildCommandTest {
  @TempDir Path tmp;
  private Path store;
  private Path project;

  @BeforeEach
  void setUp() throws Exception {
    store = tmp.resolve("store");
    Path rootfs = tmp.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
    Process tar =
        new ProcessBuilder(
                "tar", "-C", rootfs.toString(), "-czf", tmp.resolve("rootfs.tgz").toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    project = tmp.resolve("project");
    Files.createDirectories(project.resolve("base"));
    Files.createDirectories(project.resolve("app"));
    Files.writeString(
        project.resolve("base/Containerfile"),
        "FROM corp/rootfs:1\nCOPY motd /etc/motd\nLABEL tier=base\n");
    Files.writeString(project.resolve("base/motd"), "welcome\n");
    Files.writeString(
        project.resolve("app/Containerfile"),
        "FROM base\nCOPY app.conf /etc/app.conf\nCMD [\"/bin/sh\"]\n");
    Files.writeString(project.resolve("app/app.conf"), "x=1\n");
  }

  private CliRun strata(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = store.toString();
    return CliRun.of(all);
  }

  @Test
  void importStoresARootfsTarballAsAnImage() {
    CliRun run = strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("imported corp/rootfs:1 sha256:");
  }

  @Test
  void buildBuildsParentsFirstAndASecondBuildReusesEverything() {
    assertThat(strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1").exitCode())
        .isZero();

    CliRun first = strata("build", project.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("[base] built base:latest", "[app] built app:latest")
        .contains("built 2, reused 0, failed 0");
    assertThat(first.out().indexOf("[base] built"))
        .isLessThan(first.out().indexOf("[app] building"));

    CliRun second = strata("build", project.toString());
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("(cached)").contains("built 0, reused 2, failed 0");

    CliRun plan = strata("plan", project.toString());
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    assertThat(plan.out())
        .contains("base: up-to-date", "app: up-to-date", "0 of 2 nodes to rebuild");
  }

  @Test
  void aRunWithoutAShellInTheImageFailsWithItsPlaceAndExitCode1() throws Exception {
    assertThat(strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1").exitCode())
        .isZero();
    Files.writeString(project.resolve("app/Containerfile"), "FROM base\nRUN echo hi\n");
    CliRun run = strata("build", project.toString(), "app");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("Containerfile:2: RUN needs /bin/sh, which the image does not have");
  }

  @Test
  void jsonOutputNamesEveryNodeResult() {
    assertThat(strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1").exitCode())
        .isZero();
    CliRun run = strata("build", "--json", project.toString(), "base");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("\"node\" : \"base\"", "\"references\" : [ \"base:latest\" ]", "\"built\" : 1");
  }

  @Test
  void storeGcKeepsWhatTaggedImagesNeed() {
    assertThat(strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1").exitCode())
        .isZero();
    assertThat(strata("build", project.toString()).exitCode()).isZero();
    CliRun gc = strata("store", "gc");
    assertThat(gc.exitCode()).as(gc.err()).isZero();
    assertThat(gc.out()).startsWith("removed ");
    CliRun again = strata("build", project.toString());
    assertThat(again.out()).contains("built 0, reused 2");
  }

  @Test
  void anUnknownPullPolicyIsAUsageError() {
    CliRun run = strata("build", "--pull", "sometimes", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--pull must be missing, always or never");
  }

  @Test
  void anUnknownEngineIsAUsageError() {
    CliRun run = strata("build", "--engine", "kaniko", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--engine must be native or buildkit, not 'kaniko'");
  }

  @Test
  void aBuilderWithoutTheBuildKitEngineIsAUsageError() {
    CliRun run = strata("build", "--builder", "farm", project.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--builder names a BuildKit builder");
  }

  @Test
  void theBuildKitEngineNeedsARegistryToPushTo() {
    assertThat(strata("import", tmp.resolve("rootfs.tgz").toString(), "corp/rootfs:1").exitCode())
        .isZero();
    CliRun run = strata("build", "--engine", "buildkit", project.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("add `registry: HOST[:PORT]/PREFIX` to strata.yaml");
    assertThat(run.out()).doesNotContain("docker buildx build");
  }
}
