package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.bridge.fs.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5, must-show 4: {@code strata build} killed with SIGKILL in the middle of a RUN, then run
 * again, succeeds, leaves no mount or process behind, and makes the same image, digest for digest,
 * as a build nobody interrupted.
 */
class KilledBuildTest {
  /** Appears in the RUN's command line, so its processes can be found in /proc. */
  private static final String MARKER = "strata-kill-probe-5f3a";

  private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void aBuildKilledDuringRunIsRebuiltCleanlyToTheSameDigest() throws Exception {
    assertThat(Posix.isRoot()).as("RUN needs root, as CI runs").isTrue();
    Path tar = BusyboxImage.tarball(tmp.resolve("busybox.tar"));
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(
        project.resolve("Containerfile"),
        "FROM "
            + BusyboxImage.REFERENCE
            + "\n"
            + "RUN echo one > /one\n"
            // The delay is a secret, so it is not part of the step's cache key: the killed build
            // sleeps long (its orphan would outlive the rebuild), the others briefly.
            + "RUN --mount=type=secret,id=delay,env=DELAY"
            + " echo started && busybox sleep $DELAY && echo two > /"
            + MARKER
            + "\n"
            + "COPY app.conf /etc/app.conf\n");
    Files.writeString(project.resolve("app.conf"), "x=1\n");
    Path killed = tmp.resolve("killed-store");
    Path clean = tmp.resolve("clean-store");
    for (Path store : List.of(killed, clean)) {
      BusyboxImage.run(
          tmp,
          EPOCH,
          "import",
          tar.toString(),
          BusyboxImage.REFERENCE,
          "--store",
          store.toString());
    }

    BusyboxImage.Child victim =
        BusyboxImage.start(
            tmp,
            withDelay("600"),
            "build",
            "--progress",
            "plain",
            "--secret",
            "id=delay,env=DELAY",
            "--store",
            killed.toString(),
            project.toString());
    waitForLine(victim, "| started");
    assertThat(processesWith(MARKER)).as("the RUN is running").isNotEmpty();
    victim.process().destroyForcibly(); // SIGKILL
    victim.process().waitFor();

    String again = build(killed, project);
    assertThat(processesWith(MARKER)).as("processes left behind").isEmpty();
    assertThat(mountsBelow(killed)).as("mounts left behind").isEmpty();
    assertThat(runcContainers(killed)).as("runc containers left behind").isEmpty();
    assertThat(stepScratch(killed)).as("step scratch folders left behind").isEmpty();

    String uninterrupted = build(clean, project);
    assertThat(manifest(again)).isEqualTo(manifest(uninterrupted));
  }

  private String build(Path store, Path project) throws Exception {
    return BusyboxImage.run(
        tmp,
        withDelay("1"),
        "build",
        "--json",
        "--secret",
        "id=delay,env=DELAY",
        "--store",
        store.toString(),
        project.toString());
  }

  private static Map<String, String> withDelay(String seconds) {
    Map<String, String> env = new java.util.HashMap<>(EPOCH);
    env.put("DELAY", seconds);
    return env;
  }

  private static String manifest(String json) throws IOException {
    JsonNode doc = JSON.readTree(json);
    return doc.path("nodes").get(0).path("manifest").asText();
  }

  private static void waitForLine(BusyboxImage.Child child, String text) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (child.stdout().contains(text)) {
        return;
      }
      if (!child.process().isAlive()) {
        throw new AssertionError(
            "strata ended before the RUN started:\n" + child.stdout() + child.stderr());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the RUN did not start within 2 minutes:\n" + child.stdout());
  }

  /** Process ids whose command line contains {@code text}. */
  private static List<String> processesWith(String text) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String cmdline =
              new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmdline.contains(text)) {
            found.add(p.getFileName() + ": " + cmdline.replace('\0', ' '));
          }
        } catch (IOException gone) {
          // the process ended while we looked
        }
      }
    }
    return found;
  }

  private static List<String> stepScratch(Path store) throws IOException {
    Path tmp = store.resolve("tmp");
    if (!java.nio.file.Files.isDirectory(tmp)) {
      return List.of();
    }
    try (var children = java.nio.file.Files.list(tmp)) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("step-"))
          .toList();
    }
  }

  private static List<String> mountsBelow(Path store) throws IOException {
    String root = store.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(root))
        .toList();
  }

  private static List<String> runcContainers(Path store) throws Exception {
    Path state = store.resolve("tmp/run/runtime-state/runc");
    if (!Files.isDirectory(state)) {
      return List.of();
    }
    Process p =
        new ProcessBuilder("runc", "--root", state.toString(), "list", "-q")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }
}
