package dev.strata.bridge.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether the kernel mounts overlayfs with its upperdir in a given folder, tried once with an
 * overlay of empty directories in a throw-away mount namespace: a kernel without overlayfs, a
 * container that forbids the mount, or an upperdir on overlayfs itself (refused) all fail here.
 */
final class OverlayProbe {
  private OverlayProbe() {}

  /** Why overlayfs cannot be used below {@code workRoot}, or empty when it can. */
  static Optional<String> failure(Path workRoot) throws IOException {
    Path dir = workRoot.resolve(RunJanitor.newId());
    try {
      for (String d : List.of("lower", "upper", "work", "merged")) {
        Files.createDirectories(dir.resolve(d));
      }
      Process p =
          new ProcessBuilder(
                  "unshare",
                  "--mount",
                  "--propagation",
                  "private",
                  "--",
                  "mount",
                  "-t",
                  "overlay",
                  "overlay",
                  "-o",
                  "lowerdir=lower,upperdir=upper,workdir=work,index=off,metacopy=off,redirect_dir=off",
                  "merged")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of("the overlay mount did not finish within 30 seconds");
      }
      if (p.exitValue() != 0) {
        String reason = output.strip().replaceAll("\\s+", " ");
        return Optional.of(reason.isEmpty() ? "mount exited " + p.exitValue() : reason);
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while probing for overlayfs", e);
    } finally {
      RunJanitor.deleteTree(dir);
    }
  }
}
