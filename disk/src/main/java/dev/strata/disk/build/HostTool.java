package dev.strata.disk.build;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A program of the host the native builder runs (sgdisk, mkfs.ext4, qemu-img…), found on PATH or in
 * the sbin folders, with the Debian package that provides it for the error when it is missing. Runs
 * with no stdin unless one is given, and fails with the tool's own error output.
 */
public enum HostTool {
  SGDISK("sgdisk", "gdisk"),
  MKFS_EXT4("mkfs.ext4", "e2fsprogs"),
  E2FSCK("e2fsck", "e2fsprogs"),
  DEBUGFS("debugfs", "e2fsprogs"),
  QEMU_IMG("qemu-img", "qemu-utils"),
  QEMU_SYSTEM_X86_64("qemu-system-x86_64", "qemu-system-x86"),
  OPENSSL("openssl", "openssl"),
  PODMAN("podman", "podman"),
  SKOPEO("skopeo", "skopeo");

  private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private final String command;
  private final String debianPackage;

  HostTool(String command, String debianPackage) {
    this.command = command;
    this.debianPackage = debianPackage;
  }

  public String command() {
    return command;
  }

  /** The program's path, if installed. */
  public Optional<Path> find() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(EXTRA_DIRS);
    for (String dir : dirs) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, command);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** The program's path, or an error naming the package that provides it. */
  public Path require() throws DiskBuildException {
    return find()
        .orElseThrow(
            () ->
                new DiskBuildException(
                    command
                        + " is not installed: install the Debian package '"
                        + debianPackage
                        + "' (scripts/setup-machine.sh installs it)"));
  }

  /** Runs the tool with {@code args}; returns its standard output. */
  public String run(String... args) throws DiskBuildException {
    return run(List.of(args), null, Map.of());
  }

  /**
   * Runs a tool that reports failed commands only as messages and still exits 0 (debugfs): any
   * error-output line but its version banner ({@code debugfs 1.47.0 (5-Feb-2023)}) fails.
   */
  public String runSilent(List<String> args) throws DiskBuildException {
    String[] err = new String[1];
    String out = run(args, null, Map.of(), err);
    List<String> errors =
        err[0]
            .lines()
            .filter(l -> !l.isBlank() && !l.matches(Pattern.quote(command) + " [0-9.]+ \\(.*\\)"))
            .toList();
    if (!errors.isEmpty()) {
      throw new DiskBuildException(command + " failed: " + tail(String.join("\n", errors)));
    }
    return out;
  }

  /**
   * Runs the tool with {@code args}, feeding {@code stdin} (may be null) and extra environment;
   * returns its standard output, or fails with its exit code and error output.
   */
  public String run(List<String> args, byte[] stdin, Map<String, String> env)
      throws DiskBuildException {
    return run(args, stdin, env, new String[1]);
  }

  private String run(List<String> args, byte[] stdin, Map<String, String> env, String[] errOut)
      throws DiskBuildException {
    List<String> argv = new ArrayList<>();
    argv.add(require().toString());
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().putAll(env);
    builder.redirectInput(
        stdin == null
            ? ProcessBuilder.Redirect.from(new File("/dev/null"))
            : ProcessBuilder.Redirect.PIPE);
    try {
      Process process = builder.start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = drain(process.getErrorStream(), err);
      if (stdin != null) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(stdin);
        }
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      errReader.join();
      errOut[0] = err.toString(StandardCharsets.UTF_8);
      if (code != 0) {
        String detail = err.toString(StandardCharsets.UTF_8).strip();
        if (detail.isEmpty()) {
          detail = out.strip();
        }
        throw new DiskBuildException(
            command
                + " failed (exit "
                + code
                + ")"
                + (detail.isEmpty() ? "" : ": " + tail(detail)));
      }
      return out;
    } catch (IOException e) {
      throw new DiskBuildException("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DiskBuildException("interrupted while running " + command, e);
    }
  }

  private static Thread drain(InputStream in, OutputStream out) {
    Thread t =
        new Thread(
            () -> {
              try {
                in.transferTo(out);
              } catch (IOException ignored) {
                // the process is gone; what was read is kept
              }
            },
            "host-tool-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    int from = Math.max(0, lines.length - 15);
    return String.join("\n", List.of(lines).subList(from, lines.length));
  }
}
