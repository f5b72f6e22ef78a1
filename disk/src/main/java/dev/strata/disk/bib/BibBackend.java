package dev.strata.disk.bib;

import dev.strata.bridge.fs.Posix;
import dev.strata.disk.build.DiskBuildException;
import dev.strata.disk.build.HostTool;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link BibInvocation}: checks first that what BIB needs is here (podman, skopeo, root),
 * naming what is missing, prints each command exactly, then runs it with the terminal attached.
 */
public final class BibBackend {
  private BibBackend() {}

  /** What is missing on this machine for the bib backend; empty when nothing is. */
  public static List<String> missing() {
    List<String> missing = new ArrayList<>();
    if (HostTool.PODMAN.find().isEmpty()) {
      missing.add(
          "podman (bootc-image-builder runs in rootful podman; install the 'podman' package)");
    }
    if (HostTool.SKOPEO.find().isEmpty()) {
      missing.add(
          "skopeo (copies the image from Strata's store into podman's storage; install 'skopeo')");
    }
    if (!Posix.isRoot()) {
      missing.add("root (bootc-image-builder needs rootful, privileged podman)");
    }
    return missing;
  }

  /** Runs both commands, echoing each to {@code echo} first. */
  public static void run(BibInvocation invocation, Consumer<String> echo) throws IOException {
    List<String> missing = missing();
    if (!missing.isEmpty()) {
      throw new DiskBuildException(
          "--backend bib cannot run here; missing: "
              + String.join("; ", missing)
              + ". The commands it would run:\n"
              + invocation.render()
              + "Use --backend native, or run them where podman is available.");
    }
    Files.createDirectories(invocation.outputDir());
    for (List<String> command :
        List.of(invocation.copyToContainerStorage(), invocation.podmanRun())) {
      echo.accept("+ " + ShellWords.join(command));
      try {
        int code = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (code != 0) {
          throw new DiskBuildException(command.get(0) + " failed (exit " + code + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DiskBuildException("interrupted running " + command.get(0), e);
      }
    }
  }
}
