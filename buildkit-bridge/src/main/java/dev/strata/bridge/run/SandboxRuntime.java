package dev.strata.bridge.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The programs a RUN can execute in, in the order Strata tries them (DESIGN.md decision 2): an OCI
 * runtime (runc, then crun), bubblewrap, then {@code unshare}+{@code chroot}. Each needs root.
 */
public enum SandboxRuntime {
  RUNC("runc"),
  CRUN("crun"),
  BWRAP("bwrap"),
  CHROOT("unshare");

  private final String program;

  SandboxRuntime(String program) {
    this.program = program;
  }

  /** The name used with {@code --runtime}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The executable this runtime needs, if it is on the {@code PATH}. */
  public Optional<Path> executable() {
    return findOnPath(program);
  }

  /** Whether this is an OCI runtime driven by a bundle's config.json. */
  boolean isOci() {
    return this == RUNC || this == CRUN;
  }

  /**
   * The runtime to use: {@code forced} (a {@code --runtime} value, or empty for automatic), else
   * the first of the probe order whose program is installed.
   */
  public static SandboxRuntime choose(Optional<String> forced) throws RunSetupException {
    if (forced.isPresent() && !forced.get().equals("auto")) {
      String want = forced.get().toLowerCase(Locale.ROOT);
      for (SandboxRuntime r : values()) {
        if (r.id().equals(want)) {
          if (r.executable().isEmpty()) {
            throw new RunSetupException(
                "--runtime " + want + " was asked for, but '" + r.program + "' is not on the PATH");
          }
          return r;
        }
      }
      throw new RunSetupException(
          "unknown --runtime '" + forced.get() + "'; use one of auto, runc, crun, bwrap, chroot");
    }
    for (SandboxRuntime r : values()) {
      if (r.executable().isPresent()) {
        return r;
      }
    }
    throw new RunSetupException(
        "no runtime to execute RUN with: install runc (or crun, bubblewrap, util-linux unshare)");
  }

  static Optional<Path> findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    List<String> dirs = List.of((path + ":/usr/sbin:/sbin").split(File.pathSeparator));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
