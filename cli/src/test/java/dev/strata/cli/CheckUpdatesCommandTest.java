package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import dev.strata.graph.plan.LockFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code strata check-updates} end to end against a real registry: a base pinned in strata.lock, a
 * new image pushed under the same tag, the report of what moved and what that rebuilds, {@code
 * --pin}, the plan and build that follow; and store-only bases checked against the local store.
 */
class CheckUpdatesCommandTest {
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  static GenericContainer<?> container;
  static String host;

  @TempDir Path tmp;
  private Path project;
  private Path store;
  private String base;

  @BeforeAll
  static void startRegistry() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int bound = port;
    container =
        new GenericContainer<>(DockerImageName.parse("strata-test/registry:2.8"))
            .withExposedPorts(5000)
            .withCreateContainerCmdModifier(
                cmd ->
                    cmd.getHostConfig()
                        .withPortBindings(
                            new PortBinding(Ports.Binding.bindPort(bound), ExposedPort.tcp(5000))))
            .waitingFor(Wait.forHttp("/v2/").withStartupTimeout(Duration.ofSeconds(60)));
    container.start();
    host = "localhost:" + port;
  }

  @AfterAll
  static void stopRegistry() {
    if (container != null) {
      container.stop();
    }
  }

  @BeforeEach
  void project() throws Exception {
    store = tmp.resolve("store");
    base = host + "/corp/rootfs-" + tmp.getFileName().toString().toLowerCase() + ":1";
    publish("v1", base);
    project = tmp.resolve("project");
    write(
        "strata.yaml",
        "images:\n  base: { containerfile: base/Containerfile }\n"
            + "  app: { containerfile: app/Containerfile }\n"
            + "  other: { containerfile: other/Containerfile }\n");
    write("base/Containerfile", "FROM " + base + "\nCOPY motd /etc/motd\n");
    write("base/motd", "welcome\n");
    write("app/Containerfile", "FROM base\nCOPY app.conf /etc/app.conf\n");
    write("app/app.conf", "x=1\n");
    write("other/Containerfile", "FROM scratch\nCOPY note /note\n");
    write("other/note", "unrelated\n");
  }

  private void write(String relative, String text) throws Exception {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** A root filesystem tarball whose /etc/release says {@code version}. */
  private Path rootfs(String version) throws Exception {
    Path dir = tmp.resolve("rootfs-" + version);
    Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(dir.resolve("etc/group"), "root:x:0:\n");
    Files.writeString(dir.resolve("etc/release"), version + "\n");
    Path tarball = tmp.resolve("rootfs-" + version + ".tgz");
    Process tar =
        new ProcessBuilder("tar", "-C", dir.toString(), "-czf", tarball.toString(), ".")
            .inheritIO()
            .start();
    assertThat(tar.waitFor()).isZero();
    return tarball;
  }

  /** Imports a rootfs into a scratch store and pushes it to the registry as {@code ref}. */
  private String publish(String version, String ref) throws Exception {
    String seed = tmp.resolve("seed-" + version).toString();
    CliRun imported = CliRun.of("import", "--store", seed, rootfs(version).toString(), "corp/v:1");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    CliRun pushed =
        CliRun.of("push", "--store", seed, "--insecure-registry", host, "corp/v:1", ref);
    assertThat(pushed.exitCode()).as(pushed.err()).isZero();
    Matcher m = DIGEST.matcher(imported.out());
    assertThat(m.find()).isTrue();
    return m.group();
  }

  private CliRun strata(String command, String... args) {
    String[] all = new String[args.length + 6];
    all[0] = command;
    all[1] = "--store";
    all[2] = store.toString();
    all[3] = "--insecure-registry";
    all[4] = host;
    System.arraycopy(args, 0, all, 5, args.length);
    all[all.length - 1] = project.toString();
    return CliRun.of(all);
  }

  private String pinned() throws Exception {
    return LockFile.read(project.resolve("strata.lock")).digest(base).orElse("<none>");
  }

  private void pinAndBuild() throws Exception {
    CliRun pin = strata("check-updates", "--pin");
    assertThat(pin.exitCode()).as(pin.err()).isZero();
    CliRun build = strata("build");
    assertThat(build.exitCode()).as(build.err() + build.out()).isZero();
  }

  @Test
  void anUnpinnedBaseIsReportedAndPinPinsItsCurrentDigest() throws Exception {
    CliRun check = strata("check-updates");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out())
        .contains(base + ": not pinned in strata.lock; now sha256:")
        .contains("rebuilds: base, app");
    assertThat(project.resolve("strata.lock")).doesNotExist();

    CliRun pin = strata("check-updates", "--pin");
    assertThat(pin.exitCode()).as(pin.err()).isZero();
    assertThat(pinned()).matches(DIGEST.pattern());
    assertThat(pin.out()).contains("pinned in ");
  }

  @Test
  void anUnchangedBaseIsUpToDateAndExitsZero() throws Exception {
    pinAndBuild();
    String lockBefore = Files.readString(project.resolve("strata.lock"));

    CliRun check = strata("check-updates", "--pin");

    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out()).contains(base + ": up to date " + pinned(), "all 1 base up to date");
    assertThat(Files.readString(project.resolve("strata.lock"))).isEqualTo(lockBefore);
    assertThat(strata("plan").out()).contains("0 of 3 nodes to rebuild");
  }

  @Test
  void aNewImageUnderThePinnedTagIsReportedWithTheNodesBelowAndPinRebuildsThem() throws Exception {
    pinAndBuild();
    String before = pinned();
    String after = publish("v2", base);

    CliRun check = strata("check-updates");
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out())
        .contains(base + ": moved " + before + " → " + after + " (registry)")
        .contains("rebuilds: base, app")
        .contains("2 nodes to rebuild: base, app")
        .contains("base digest moved: " + base + " " + before + " → " + after)
        .doesNotContain("other:");
    assertThat(pinned()).as("without --pin the lock stays").isEqualTo(before);

    CliRun json = strata("check-updates", "--json");
    assertThat(json.out())
        .contains("\"status\" : \"moved\"", "\"current\" : \"" + after + "\"")
        .contains("\"source\" : \"registry\"");
    assertThat(json.out().replaceAll("\\s", "")).contains("\"rebuild\":[\"base\",\"app\"]");

    CliRun pin = strata("check-updates", "--pin");
    assertThat(pin.exitCode()).isZero();
    assertThat(pinned()).isEqualTo(after);

    CliRun plan = strata("plan");
    assertThat(plan.out())
        .contains("base: rebuild from step 1", "base digest moved: " + base)
        .contains("app: rebuild from step 1", "parent rebuilt: base")
        .contains("other: up-to-date", "2 of 3 nodes to rebuild");

    CliRun build = strata("build");
    assertThat(build.exitCode()).as(build.err() + build.out()).isZero();
    assertThat(build.out()).contains("built 2, reused 1");
    assertThat(strata("check-updates").out()).contains("all 1 base up to date");
  }

  @Test
  void aStoreOnlyBaseIsCheckedAgainstTheStoreAndMovesWhenReimported() throws Exception {
    String local = "localhost/corp/golden:1";
    write("base/Containerfile", "FROM " + local + "\nCOPY motd /etc/motd\n");
    assertThat(
            CliRun.of("import", "--store", store.toString(), rootfs("g1").toString(), local)
                .exitCode())
        .isZero();
    CliRun pin = strata("check-updates", "--pin");
    assertThat(pin.exitCode()).as(pin.err() + pin.out()).isZero();
    assertThat(pin.out()).contains("(local store)");
    String before = LockFile.read(project.resolve("strata.lock")).digest(local).orElseThrow();

    CliRun imported =
        CliRun.of("import", "--store", store.toString(), rootfs("g2").toString(), local);
    assertThat(imported.exitCode()).isZero();
    CliRun check = strata("check-updates");

    assertThat(check.out())
        .contains(local + ": moved " + before + " → ")
        .contains("(local store)", "rebuilds: base, app");
  }

  @Test
  void offlineChecksAgainstTheStoreOnlyAndABaseFoundNowhereFails() throws Exception {
    pinAndBuild();
    publish("v3", base); // moved on the registry; the store still has the pinned image

    CliRun offline = strata("check-updates", "--offline");
    assertThat(offline.exitCode()).as(offline.err()).isZero();
    assertThat(offline.out()).contains(base + ": up to date", "(local store)");

    write("base/Containerfile", "FROM " + host + "/corp/never-pushed:1\n");
    CliRun missing = strata("check-updates");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out())
        .contains(host + "/corp/never-pushed:1: error: ")
        .contains("is neither on " + host + " nor in the local store")
        .doesNotContain("\tat ");
  }
}
