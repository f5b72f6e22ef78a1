package dev.strata.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A tiny base image for e2e tests that need RUN but not Debian: the host's busybox-static with
 * {@code /bin/sh}, a passwd and group, packed as a rootfs tarball for {@code strata import}; and
 * {@code strata} runs in a child JVM, for what an in-process run cannot do (its own environment,
 * such as {@code SOURCE_DATE_EPOCH}, and being killed).
 */
final class BusyboxImage {
  static final String REFERENCE = "strata-e2e/busybox:1";

  private BusyboxImage() {}

  /** Writes the rootfs tarball at {@code tar} (fixed mtimes, so its import is reproducible). */
  static Path tarball(Path tar) throws IOException, InterruptedException {
    Path root = Files.createTempDirectory(tar.getParent(), "busybox-rootfs-");
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("tmp"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
    exec(List.of("chmod", "1777", root.resolve("tmp").toString()));
    exec(
        List.of(
            "tar",
            "--sort=name",
            "--mtime=@1600000000",
            "--numeric-owner",
            "--owner=0",
            "--group=0",
            "-C",
            root.toString(),
            "-cf",
            tar.toString(),
            "."));
    exec(List.of("rm", "-rf", root.toString()));
    return tar;
  }

  /** A child JVM's run of the CLI: its process (still running or ended) and its output files. */
  record Child(Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Waits for the end (at most 5 minutes) and returns the exit code. */
    int waitFor() throws IOException, InterruptedException {
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("strata did not finish in 5 minutes:\n" + stdout() + stderr());
      }
      return process.exitValue();
    }
  }

  /** Starts {@code strata ARGS} in a child JVM with {@code env} added to its environment. */
  static Child start(Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(dev.strata.cli.Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(dir, "strata", ".out");
    Path err = Files.createTempFile(dir, "strata", ".err");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new Child(builder.start(), out, err);
  }

  /** Runs {@code strata ARGS} in a child JVM to its end; fails the test on a non-zero exit. */
  static String run(Path dir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Child child = start(dir, env, args);
    int code = child.waitFor();
    assertThat(code)
        .as("strata %s:\n%s%s", String.join(" ", args), child.stdout(), child.stderr())
        .isZero();
    return child.stdout();
  }

  static void exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
  }
}
