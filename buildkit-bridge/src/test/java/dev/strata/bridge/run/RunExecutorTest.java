package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import dev.strata.bridge.rootfs.Owner;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.TarEntry;
import dev.strata.dsl.instructions.NetworkMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RUN in each real runtime (runc, bubblewrap, unshare+chroot) over overlayfs on a busybox rootfs:
 * process, user, network, output.
 */
class RunExecutorTest {
  @TempDir static Path shared;
  static Path base;
  static final Map<String, RunExecutor> EXECUTORS = new HashMap<>();

  @BeforeAll
  static void setUp() throws IOException {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    base = BusyboxRootfs.layer(shared.resolve("base"));
  }

  /** Every runtime Strata can run RUN with; CI installs them all (setup script). */
  static Stream<String> runtimes() {
    return Stream.of("runc", "bwrap", "chroot");
  }

  static RunExecutor executor(String runtime) throws IOException {
    return executorIn(shared, runtime);
  }

  /** One executor per work folder and runtime, opened on first use. */
  static synchronized RunExecutor executorIn(Path dir, String runtime) throws IOException {
    String key = dir + " " + runtime;
    RunExecutor executor = EXECUTORS.get(key);
    if (executor == null) {
      executor =
          RunExecutor.open(
              dir.resolve("work-" + runtime), dir.resolve("cache"), Optional.of(runtime));
      assertThat(executor.runtime().id()).isEqualTo(runtime);
      EXECUTORS.put(key, executor);
    }
    return executor;
  }

  static RunCommand sh(String script) {
    return RunCommand.exec(List.of("/bin/sh", "-c", script));
  }

  static RunRequest request(String script, CapturedOutput out) {
    return RunRequest.of(List.of(base), sh(script), List.of()).withOutput(out);
  }

  static List<String> layerPaths(RunResult result) throws IOException {
    return result.layerEntries(new LayerWriter(Optional.empty())).stream()
        .map(TarEntry::path)
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void exitCodeOfTheCommandIsTheResult(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    try (RunResult r = executor.run(request("exit 7", new CapturedOutput()))) {
      assertThat(r.exitCode()).isEqualTo(7);
      assertThat(r.succeeded()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void stdoutAndStderrReachTheSinkSeparately(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    try (RunResult r = executor.run(request("echo to-out; echo to-err >&2", out))) {
      assertThat(r.exitCode()).isZero();
    }
    assertThat(out.stdout()).isEqualTo("to-out\n");
    assertThat(out.stderr()).isEqualTo("to-err\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void environmentUserGroupsAndWorkdirApply(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        RunRequest.of(
                List.of(base),
                sh("echo $FOO; id -u; id -g; id -G; pwd; echo $PATH"),
                List.of("FOO=bar baz"))
            .withUser(new Owner(1000, 1001), List.of(100))
            .withWorkdir("/opt/app/dir")
            .withOutput(out);
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      // The missing workdir is created (root, 0755) and so belongs to the layer.
      assertThat(layerPaths(r)).containsExactly("opt", "opt/app", "opt/app/dir");
    }
    assertThat(out.stdout())
        .isEqualTo(
            "bar baz\n1000\n1001\n1001 100\n/opt/app/dir\n"
                + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void filesCreatedUnderUserBelongToItOnTheHost(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        request("touch /tmp/mine && mkdir /tmp/d && ln -s mine /tmp/l", out)
            .withUser(new Owner(1234, 4321), List.of(100));
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      List<String> owners =
          r.layerEntries(new LayerWriter(Optional.empty())).stream()
              .map(e -> e.path() + " " + e.uid() + ":" + e.gid())
              .collect(Collectors.toList());
      assertThat(owners)
          .containsExactly("tmp 0:0", "tmp/d 1234:4321", "tmp/l 1234:4321", "tmp/mine 1234:4321");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void nonRootUserHasNoCapabilitiesButTheDefaultBoundingSet(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunRequest req =
        request("grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status", out)
            .withUser(new Owner(1000, 1000), List.of());
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
    }
    assertThat(out.stdout())
        .isEqualTo(
            "CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n"
                + "CapBnd:\t00000000a80425fb\n");
  }

  /**
   * A flush of a {@code /proc} file fails with EINVAL when it reaches the kernel, so its success
   * shows the call was answered by {@link SyncFilter}; under every user, as runc installs the
   * filter before it drops privileges.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"runc", "bwrap"})
  void flushesToDiskReturnAtOnceUnderTheSyncFilter(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    for (Owner user : List.of(new Owner(0, 0), new Owner(1000, 1000))) {
      CapturedOutput out = new CapturedOutput();
      RunRequest req =
          request("sync -d /proc/version && sync -f /proc/version && sync", out)
              .withUser(user, List.of());
      try (RunResult r = executor.run(req)) {
        assertThat(r.exitCode()).as(user + ": " + out.stderr()).isZero();
      }
    }
  }

  /** The chroot runtime cannot install a filter: the same flush reaches the kernel and fails. */
  @Test
  void flushesReachTheKernelUnderTheChrootRuntime() throws IOException {
    RunExecutor executor = executor("chroot");
    CapturedOutput out = new CapturedOutput();
    try (RunResult r = executor.run(request("sync -d /proc/version", out))) {
      assertThat(r.exitCode()).isEqualTo(1);
    }
    assertThat(out.stderr()).contains("Invalid argument");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void commandSeesOnlyTheProcessesOfItsOwnPidNamespace(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    try (RunResult r = executor.run(request("set -- /proc/[0-9]*; echo $#", out))) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
    }
    // The shell itself (and bubblewrap's reaper), while the host runs many more.
    assertThat(Integer.parseInt(out.stdout().strip())).isBetween(1, 2);
    assertThat(ProcessHandle.allProcesses().count()).isGreaterThan(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void homeComesFromTheImagesPasswdWhenTheEnvironmentHasNone(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunCommand script = sh("echo \"$HOME\"");
    RunRequest inPasswd = RunRequest.of(List.of(base), script, List.of()).withOutput(out);
    RunRequest unknownUid = inPasswd.withUser(new Owner(4242, 4242), List.of());
    RunRequest given = RunRequest.of(List.of(base), script, List.of("HOME=/given")).withOutput(out);
    for (RunRequest req : List.of(inPasswd, unknownUid, given)) {
      try (RunResult r = executor.run(req)) {
        assertThat(r.exitCode()).as(out.stderr()).isZero();
      }
    }
    assertThat(out.stdout()).isEqualTo("/root\n/\n/given\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void kernelPathsAreMaskedAndReadOnlyAsInRuncsDefaultSpec(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    String script =
        "wc -c < /proc/interrupts; ls /proc/acpi | wc -l; awk '$2==\"/proc/sys\" {split($4, o, \",\"); print o[1]}'"
            + " /proc/mounts; echo 1 > /proc/sys/kernel/sysrq || echo refused";
    try (RunResult r = executor.run(request(script, out))) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
    }
    assertThat(Files.readAllBytes(Path.of("/proc/interrupts")))
        .as("the host's, to show the mask hides something")
        .isNotEmpty();
    assertThat(out.stdout()).as(out.stderr()).isEqualTo("0\n0\nro\nrefused\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void rootHasDockersDefaultCapabilitiesOnly(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    try (RunResult r = executor.run(request("grep CapEff /proc/self/status", out))) {
      assertThat(r.exitCode()).isZero();
    }
    assertThat(out.stdout().strip()).isEqualTo("CapEff:\t00000000a80425fb");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void networkNoneLeavesOnlyLoopback(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunRequest req = request("ls /sys/class/net", out).withNetwork(NetworkMode.NONE);
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).isZero();
    }
    assertThat(out.stdout()).isEqualTo("lo\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void hostNetworkSeesTheHostsInterfaces(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunRequest req = request("ls /sys/class/net", out).withNetwork(NetworkMode.HOST);
    try (RunResult r = executor.run(req)) {
      assertThat(r.exitCode()).isZero();
    }
    assertThat(out.stdout().split("\n")).hasSizeGreaterThan(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void timeoutKillsTheCommand(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    long t0 = System.nanoTime();
    RunRequest req = request("sleep 60", new CapturedOutput()).withTimeout(Duration.ofSeconds(1));
    try (RunResult r = executor.run(req)) {
      assertThat(r.timedOut()).isTrue();
      assertThat(r.succeeded()).isFalse();
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void generatedHostsResolvAndHostnameAreVisibleButNotInTheLayer(String runtime)
      throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    try (RunResult r = executor.run(request("hostname; grep -c localhost /etc/hosts; ls /", out))) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      assertThat(layerPaths(r)).isEmpty();
    }
    assertThat(out.stdout()).startsWith("buildkitsandbox\n2\n");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimes")
  void heredocShebangPicksTheInterpreter(String runtime) throws IOException {
    RunExecutor executor = executor(runtime);
    CapturedOutput out = new CapturedOutput();
    RunCommand command =
        new RunCommand(
            List.of("/bin/sh", "-c", "/dev/pipes/EOT"),
            java.util.Map.of("EOT", "#!/bin/cat\nbody\n"));
    try (RunResult r =
        executor.run(RunRequest.of(List.of(base), command, List.of()).withOutput(out))) {
      assertThat(r.exitCode()).as(out.stderr()).isZero();
      assertThat(layerPaths(r)).isEmpty();
    }
    assertThat(out.stdout()).isEqualTo("#!/bin/cat\nbody\n");
  }
}
