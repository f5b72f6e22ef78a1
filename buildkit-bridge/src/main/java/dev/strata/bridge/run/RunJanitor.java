package dev.strata.bridge.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Names every sandbox after the Strata process that started it ({@code strata-PID-START-N}, START
 * being the process's start time in clock ticks) and removes what a dead process left behind: a
 * Strata killed with SIGKILL cannot clean up, so the next executor does — containers still running
 * ({@code runc delete --force}), mounts that reached this namespace, scratch and bundle folders.
 */
public final class RunJanitor {
  private static final Logger LOG = Logger.getLogger(RunJanitor.class.getName());
  private static final String PREFIX = "strata-";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Path workRoot;
  private final Path bundleRoot;
  private final Path runtimeState;

  RunJanitor(Path workRoot, Path bundleRoot, Path runtimeState) {
    this.workRoot = workRoot;
    this.bundleRoot = bundleRoot;
    this.runtimeState = runtimeState;
  }

  /** A fresh sandbox id owned by this process. */
  public static String newId() {
    long pid = ProcessHandle.current().pid();
    return PREFIX + pid + "-" + startTicks(pid).orElse(0L) + "-" + SEQUENCE.incrementAndGet();
  }

  /** Whether the process named in {@code id} is gone (or was replaced by another of that pid). */
  public static boolean ownerDead(String id) {
    String[] parts = id.substring(PREFIX.length()).split("-");
    if (parts.length < 3) {
      return false;
    }
    try {
      long pid = Long.parseLong(parts[0]);
      long start = Long.parseLong(parts[1]);
      Optional<Long> now = startTicks(pid);
      return now.isEmpty() || now.get() != start;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Removes every sandbox whose owner is dead. */
  void sweep() throws IOException {
    for (SandboxRuntime r : List.of(SandboxRuntime.RUNC, SandboxRuntime.CRUN)) {
      Path state = runtimeState.resolve(r.id());
      Optional<Path> exe = r.executable();
      if (exe.isEmpty() || !Files.isDirectory(state)) {
        continue;
      }
      for (String id : list(state)) {
        if (id.startsWith(PREFIX) && ownerDead(id)) {
          LOG.info("removing sandbox " + id + " left by a Strata process that is gone");
          run(exe.get().toString(), "--root", state.toString(), "delete", "--force", id);
        }
      }
    }
    for (Path root : List.of(workRoot, bundleRoot)) {
      for (String id : list(root)) {
        if (id.startsWith(PREFIX) && ownerDead(id)) {
          Path dir = root.resolve(id);
          unmountBelow(dir);
          deleteTree(dir);
        }
      }
    }
  }

  /** Lazily unmounts whatever this namespace has mounted at or below {@code dir}, deepest first. */
  static void unmountBelow(Path dir) throws IOException {
    String prefix = dir.toAbsolutePath().toString();
    List<String> points = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        String point = f[4].replace("\\040", " ");
        if (point.equals(prefix) || point.startsWith(prefix + "/")) {
          points.add(point);
        }
      }
    }
    points.sort(Comparator.comparing(String::length).reversed());
    for (String point : points) {
      run("umount", "-l", point);
    }
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static List<String> list(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return names;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      children.forEach(c -> names.add(c.getFileName().toString()));
    }
    return names;
  }

  /** Field 22 of {@code /proc/PID/stat}: when the process started, in clock ticks since boot. */
  static Optional<Long> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[19]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Runs a cleanup command, waiting at most a minute; failures are logged, not thrown. */
  static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      } else if (p.exitValue() != 0) {
        LOG.fine(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      LOG.fine(String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
