package dev.strata.bridge.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bridge.fs.Posix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Strata killed with SIGKILL mid-RUN leaves nothing once the next executor starts. */
class KilledRunCleanupTest {
  @TempDir Path tmp;

  /** This test's RUN sleeps this many seconds: no other test's sandbox has the same command. */
  private final String seconds =
      Long.toString(600_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000));

  private final List<Process> children = new java.util.ArrayList<>();

  /** A failed assertion must not leave this test's JVMs or sandbox running on a shared machine. */
  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
    sleepers().forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void nextExecutorRemovesTheContainerMountsAndScratchOfAKilledRun() throws Exception {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    Path base = BusyboxRootfs.layer(tmp.resolve("base"));
    Path work = tmp.resolve("work");
    Path cache = tmp.resolve("cache");
    Process child = startHangingRun(base, work, cache, "runc", seconds);
    long sleeper = sandboxSleepers();
    assertThat(sleeper).isEqualTo(1);

    child.destroyForcibly(); // SIGKILL: no finally, no shutdown hook
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    // The sandbox outlives its killed owner until someone sweeps.
    assertThat(sandboxSleepers()).isEqualTo(1);

    RunExecutor next = RunExecutor.open(work, cache, Optional.of("runc"));
    assertThat(sandboxSleepers()).isZero();
    assertThat(mountsBelow(work)).isEmpty();
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("strata-"));
    }
    Process list =
        new ProcessBuilder(
                "runc", "--root", work.resolve("runtime-state/runc").toString(), "list", "-q")
            .start();
    assertThat(new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isBlank();
    try (RunResult again =
        next.run(RunRequest.of(List.of(base), RunExecutorTest.sh("true"), List.of()))) {
      assertThat(again.exitCode()).isZero();
    }
  }

  /**
   * bubblewrap and unshare+chroot keep no state outside their launcher: the sandbox dies with the
   * killed Strata (parent-death signals down the chain), and the next executor removes the scratch.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"bwrap", "chroot"})
  void sandboxDiesWithAKilledStrataAndTheNextExecutorRemovesItsScratch(String runtime)
      throws Exception {
    assumeTrue(Posix.isRoot(), "RUN needs root; CI runs as root");
    assumeTrue(BusyboxRootfs.available(), "needs busybox-static and libcap2-bin (setup script)");
    Path base = BusyboxRootfs.layer(tmp.resolve("base"));
    Path work = tmp.resolve("work");
    Path cache = tmp.resolve("cache");
    Process child = startHangingRun(base, work, cache, runtime, seconds);
    assertThat(sandboxSleepers()).isEqualTo(1);

    child.destroyForcibly(); // SIGKILL: no finally, no shutdown hook
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sandboxSleepers() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sandboxSleepers()).as("sandbox processes left after the kill").isZero();

    RunExecutor next = RunExecutor.open(work, cache, Optional.of(runtime));
    assertThat(mountsBelow(work)).isEmpty();
    try (Stream<Path> left = Files.list(work)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("strata-"));
    }
    try (RunResult again =
        next.run(RunRequest.of(List.of(base), RunExecutorTest.sh("true"), List.of()))) {
      assertThat(again.exitCode()).isZero();
    }
  }

  /** A child JVM running {@link HangingRun}, returned once its RUN printed "started". */
  private Process startHangingRun(Path base, Path work, Path cache, String runtime, String seconds)
      throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                HangingRun.class.getName(),
                base.toString(),
                work.toString(),
                cache.toString(),
                runtime,
                seconds)
            .redirectErrorStream(true)
            .start();
    children.add(child);
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    do {
      line = lines.readLine();
    } while (line != null && !line.equals("started"));
    assertThat(line).as("the RUN in the child JVM started").isEqualTo("started");
    return child;
  }

  /** How many processes run this test's {@code sleep}. */
  private long sandboxSleepers() {
    return sleepers().count();
  }

  private Stream<ProcessHandle> sleepers() {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().commandLine().orElse("").equals("sleep " + seconds)
                    || p.info()
                        .arguments()
                        .map(a -> List.of(a).equals(List.of(seconds)))
                        .orElse(false));
  }

  private static List<String> mountsBelow(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4])
        .filter(p -> p.startsWith(prefix))
        .toList();
  }
}
